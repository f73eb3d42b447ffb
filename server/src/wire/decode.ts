import type { ClientMessage, ClientMessageOf, ClientMessageType, ErrorCode, RequestId } from '@parley/protocol';
import { byteString, utf8Bytes, type Utf8Bytes } from './frame.js';
import { rawMemberValue } from './json-scan.js';
import { scanSignalFrame } from './signal-scan.js';
import { isRequestId, VALIDATORS } from './validators.js';

/**
 * A decoded client message as the broker uses it. A `signal`'s payload is opaque to the broker
 * and never read as objects: it travels as its JSON text (`opaqueJson`), so a decoded signal
 * need not carry it parsed (the fast path does not parse it at all).
 */
export type DecodedMessageOf<T extends ClientMessageType> = T extends 'signal' ? Omit<ClientMessageOf<'signal'>, 'payload'> : ClientMessageOf<T>;
export type DecodedMessage = { [T in ClientMessageType]: DecodedMessageOf<T> }[ClientMessageType];

export type DecodeResult =
  | {
      ok: true;
      message: DecodedMessage;
      rid: RequestId | undefined;
      /** The raw JSON text of the message's opaque value (signal payload, broadcast and direct data), '' for other types. */
      opaqueJson: string;
    }
  | { ok: false; code: ErrorCode; rid: RequestId | undefined; reason: string };

const TYPES: ReadonlyMap<string, ClientMessageType> = new Map(Object.keys(VALIDATORS).map((type) => [type, type as ClientMessageType]));

/** The member each type relays byte for byte. */
const OPAQUE_MEMBER: Partial<Record<ClientMessageType, string>> = { signal: 'payload', 'room.broadcast': 'data', direct: 'data' };

/**
 * Decodes one text frame into a validated client message. `signal` frames, nearly all of the
 * traffic, go through a validating scanner that builds no parse tree (signal-scan.ts); every
 * other frame, and any signal frame the scanner does not accept in full, is parsed with
 * JSON.parse once, checked to be an object with a known `type`, then with that type's
 * validator. Both paths give the same answer for every frame (signal-scan.test.ts). The frame's
 * byte length has been checked by the caller before this runs. Never throws.
 */
export function decodeClientFrame(text: string): DecodeResult {
  const signal = scanSignalFrame(text);
  if (signal !== null) {
    const message: DecodedMessageOf<'signal'> = { type: 'signal', room: signal.room, to: signal.to } as DecodedMessageOf<'signal'>;
    if (signal.rid !== undefined) message.rid = signal.rid;
    return { ok: true, message, rid: signal.rid, opaqueJson: signal.payloadJson };
  }
  return parseClientFrame(text);
}

/** A decoded frame whose opaque value is kept as the bytes the client sent, ready to splice into relayed frames. */
export type BytesDecodeResult =
  | { ok: true; message: DecodedMessage; rid: RequestId | undefined; opaque: Utf8Bytes }
  | Extract<DecodeResult, { ok: false }>;

/**
 * Decodes one received text frame from its bytes (valid UTF-8; uWS closes a connection on a
 * text frame that is not). The `signal` fast path scans a byte string (a one-byte copy, half the
 * cost of decoding UTF-8) and keeps the payload's bytes as they came; every other frame is
 * decoded as UTF-8 and goes the general way, exactly as `decodeClientFrame` would take it (the
 * same answer for every frame, property-tested in signal-scan.test.ts). Never throws.
 */
export function decodeClientBytes(frame: Buffer): BytesDecodeResult {
  const bytes = byteString(frame);
  const signal = scanSignalFrame(bytes);
  if (signal !== null) {
    const message: DecodedMessageOf<'signal'> = { type: 'signal', room: signal.room, to: signal.to } as DecodedMessageOf<'signal'>;
    if (signal.rid !== undefined) message.rid = signal.rid;
    return { ok: true, message, rid: signal.rid, opaque: signal.payloadJson as Utf8Bytes };
  }
  const decoded = parseClientFrame(frame.toString('utf8'));
  if (!decoded.ok) return decoded;
  return { ok: true, message: decoded.message, rid: decoded.rid, opaque: decoded.opaqueJson === '' ? (decoded.opaqueJson as Utf8Bytes) : utf8Bytes(decoded.opaqueJson) };
}

/** The general path: JSON.parse, then the type's validator. */
export function parseClientFrame(text: string): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, code: 'MALFORMED_JSON', rid: undefined, reason: 'not valid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, code: 'INVALID_MESSAGE', rid: undefined, reason: 'a message is a JSON object' };
  }
  const message = parsed as Record<string, unknown>;
  const rid = isRequestId(message.rid) ? message.rid : undefined;
  const type = message.type;
  if (typeof type !== 'string') return { ok: false, code: 'INVALID_MESSAGE', rid, reason: 'type must be a string' };
  const known = TYPES.get(type);
  if (known === undefined) return { ok: false, code: 'UNKNOWN_TYPE', rid, reason: 'unknown type' };
  const problem = VALIDATORS[known](message);
  if (problem !== null) return { ok: false, code: 'INVALID_MESSAGE', rid, reason: problem };
  const opaqueMember = OPAQUE_MEMBER[known];
  const opaqueJson = opaqueMember === undefined ? '' : rawMemberValue(text, opaqueMember)!;
  return { ok: true, message: message as unknown as ClientMessage, rid, opaqueJson };
}
