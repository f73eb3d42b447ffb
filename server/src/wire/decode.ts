import type { ClientMessage, ClientMessageType, ErrorCode, RequestId } from '@parley/protocol';
import { isRequestId, VALIDATORS } from './validators.js';

export type DecodeResult =
  | { ok: true; message: ClientMessage; rid: RequestId | undefined }
  | { ok: false; code: ErrorCode; rid: RequestId | undefined; reason: string };

const TYPES: ReadonlyMap<string, ClientMessageType> = new Map(Object.keys(VALIDATORS).map((type) => [type, type as ClientMessageType]));

/**
 * Parses one text frame into a validated client message: JSON.parse once, check that it is an
 * object with a known `type`, then that type's validator. The frame's byte length has been
 * checked by the caller before this runs. Never throws.
 */
export function decodeClientFrame(text: string): DecodeResult {
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
  return { ok: true, message: message as unknown as ClientMessage, rid };
}
