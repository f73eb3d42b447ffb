import {
  ATTR_FINGERPRINT,
  ATTR_MESSAGE_INTEGRITY,
  ATTR_MESSAGE_INTEGRITY_SHA256,
  HEADER_BYTES,
  MAGIC_COOKIE,
  classOf,
  methodOf,
  type StunClass,
} from './constants.js';
import { fingerprintValue } from './crc32.js';

/** One attribute as it appears on the wire; `value` is a view into the message, not a copy. */
export interface StunAttribute {
  type: number;
  value: Buffer;
  /** Offset of the attribute's 4-byte header inside the message. */
  offset: number;
}

/** A decoded STUN message. Every Buffer in it is a view into `raw`. */
export interface StunMessage {
  method: number;
  cls: StunClass;
  transactionId: Buffer;
  /** Attributes the receiver must process, in wire order (see the ordering rules in decode). */
  attributes: StunAttribute[];
  raw: Buffer;
  /** Offsets of MESSAGE-INTEGRITY / MESSAGE-INTEGRITY-SHA256 / FINGERPRINT headers, or -1. */
  integrityOffset: number;
  integritySha256Offset: number;
  fingerprintOffset: number;
}

/** Why bytes are not an acceptable STUN message; each is a stable reason used in metrics. */
export type StunDecodeFailure =
  | 'too_short'
  | 'not_stun'
  | 'bad_magic_cookie'
  | 'bad_length'
  | 'attribute_overrun'
  | 'fingerprint_not_last'
  | 'bad_fingerprint';

export type StunDecodeResult = { ok: true; message: StunMessage } | { ok: false; reason: StunDecodeFailure };

/** True when the first bytes look like a STUN header (top two bits 0 and the magic cookie). */
export function looksLikeStun(bytes: Uint8Array): boolean {
  return (
    bytes.length >= HEADER_BYTES &&
    (bytes[0]! & 0xc0) === 0 &&
    bytes[4] === 0x21 &&
    bytes[5] === 0x12 &&
    bytes[6] === 0xa4 &&
    bytes[7] === 0x42
  );
}

/**
 * Decodes one whole STUN message (a datagram, or one frame cut from a stream). Never throws: any
 * byte string yields either a message or a failure reason.
 */
export function decodeStunMessage(bytes: Uint8Array): StunDecodeResult {
  const raw = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (raw.length < HEADER_BYTES) return { ok: false, reason: 'too_short' };
  // RFC 8489 §5: "The most significant 2 bits of every STUN message MUST be zeroes."
  if ((raw[0]! & 0xc0) !== 0) return { ok: false, reason: 'not_stun' };
  if (raw.readUInt32BE(4) !== MAGIC_COOKIE) return { ok: false, reason: 'bad_magic_cookie' };
  const length = raw.readUInt16BE(2);
  // "The message length MUST contain the size of the message in bytes, not including the 20-byte
  // STUN header. Since all STUN attributes are padded to a multiple of 4 bytes, the last 2 bits of
  // this field are always zero."
  if ((length & 3) !== 0 || HEADER_BYTES + length !== raw.length) return { ok: false, reason: 'bad_length' };
  const type = raw.readUInt16BE(0);
  const attributes: StunAttribute[] = [];
  let integrityOffset = -1;
  let integritySha256Offset = -1;
  let fingerprintOffset = -1;
  let offset = HEADER_BYTES;
  while (offset < raw.length) {
    if (offset + 4 > raw.length) return { ok: false, reason: 'attribute_overrun' };
    const attributeType = raw.readUInt16BE(offset);
    const valueLength = raw.readUInt16BE(offset + 2);
    const end = offset + 4 + valueLength;
    if (end > raw.length) return { ok: false, reason: 'attribute_overrun' };
    // RFC 8489 §14.7: FINGERPRINT "MUST be the last attribute in the message".
    if (fingerprintOffset !== -1) return { ok: false, reason: 'fingerprint_not_last' };
    const value = raw.subarray(offset + 4, end);
    if (attributeType === ATTR_FINGERPRINT) {
      fingerprintOffset = offset;
      if (valueLength !== 4) return { ok: false, reason: 'bad_fingerprint' };
      if (value.readUInt32BE(0) !== fingerprintValue(raw, offset)) return { ok: false, reason: 'bad_fingerprint' };
      attributes.push({ type: attributeType, value, offset });
    } else if (integritySha256Offset !== -1) {
      // §14.6: after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT is processed; the rest is ignored.
    } else if (attributeType === ATTR_MESSAGE_INTEGRITY_SHA256) {
      integritySha256Offset = offset;
      attributes.push({ type: attributeType, value, offset });
    } else if (integrityOffset !== -1) {
      // §14.5: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count.
    } else {
      if (attributeType === ATTR_MESSAGE_INTEGRITY) integrityOffset = offset;
      attributes.push({ type: attributeType, value, offset });
    }
    offset = end + ((4 - (valueLength & 3)) & 3);
  }
  if (offset !== raw.length) return { ok: false, reason: 'attribute_overrun' };
  return {
    ok: true,
    message: {
      method: methodOf(type),
      cls: classOf(type),
      transactionId: raw.subarray(8, HEADER_BYTES),
      attributes,
      raw,
      integrityOffset,
      integritySha256Offset,
      fingerprintOffset,
    },
  };
}

/** The value of the first attribute of `type` (RFC 8489 §14: later duplicates are ignored). */
export function getAttribute(message: StunMessage, type: number): Buffer | undefined {
  for (const attribute of message.attributes) if (attribute.type === type) return attribute.value;
  return undefined;
}

export function hasAttribute(message: StunMessage, type: number): boolean {
  return getAttribute(message, type) !== undefined;
}
