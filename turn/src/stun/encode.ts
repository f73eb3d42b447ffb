import { ATTR_FINGERPRINT, ATTR_MESSAGE_INTEGRITY, ATTR_MESSAGE_INTEGRITY_SHA256, HEADER_BYTES, MAGIC_COOKIE, messageType, type StunClass } from './constants.js';
import { fingerprintValue } from './crc32.js';
import { computeIntegrity, INTEGRITY_SHA1_BYTES, INTEGRITY_SHA256_BYTES, type IntegrityAlgorithm } from './integrity.js';

export interface StunAttributeInput {
  type: number;
  value: Uint8Array;
}

export interface StunEncodeOptions {
  /** Appends MESSAGE-INTEGRITY (sha1) or MESSAGE-INTEGRITY-SHA256 computed with `key`. */
  integrity?: { key: Uint8Array; algorithm: IntegrityAlgorithm } | undefined;
  /** Appends FINGERPRINT (after any integrity attribute). */
  fingerprint?: boolean | undefined;
  /** Byte used to pad attribute values to 4 bytes (RFC 8489 §14: any value; RFC 5769 uses spaces). */
  paddingByte?: number | undefined;
}

export interface StunMessageInput {
  method: number;
  cls: StunClass;
  transactionId: Uint8Array;
  attributes: readonly StunAttributeInput[];
}

function padded(length: number): number {
  return (length + 3) & ~3;
}

/** Encodes a STUN message. Throws only on programmer errors (a value over 65535 bytes, a bad transaction id). */
export function encodeStunMessage(input: StunMessageInput, options: StunEncodeOptions = {}): Buffer {
  if (input.transactionId.length !== 12) throw new RangeError('transaction id must be 12 bytes');
  let bodyBytes = 0;
  for (const attribute of input.attributes) {
    if (attribute.value.length > 0xffff) throw new RangeError('attribute value longer than 65535 bytes');
    bodyBytes += 4 + padded(attribute.value.length);
  }
  const integrityBytes = options.integrity ? 4 + (options.integrity.algorithm === 'sha1' ? INTEGRITY_SHA1_BYTES : INTEGRITY_SHA256_BYTES) : 0;
  const fingerprintBytes = options.fingerprint ? 8 : 0;
  const total = HEADER_BYTES + bodyBytes + integrityBytes + fingerprintBytes;
  if (total - HEADER_BYTES > 0xffff) throw new RangeError('STUN message longer than 65535 bytes');
  const out = Buffer.allocUnsafe(total);
  out.writeUInt16BE(messageType(input.method, input.cls), 0);
  out.writeUInt16BE(total - HEADER_BYTES, 2);
  out.writeUInt32BE(MAGIC_COOKIE, 4);
  out.set(input.transactionId, 8);
  let offset = HEADER_BYTES;
  const paddingByte = options.paddingByte ?? 0;
  for (const attribute of input.attributes) {
    out.writeUInt16BE(attribute.type, offset);
    out.writeUInt16BE(attribute.value.length, offset + 2);
    out.set(attribute.value, offset + 4);
    const end = offset + 4 + attribute.value.length;
    const next = offset + 4 + padded(attribute.value.length);
    out.fill(paddingByte, end, next);
    offset = next;
  }
  if (options.integrity) {
    const { key, algorithm } = options.integrity;
    const hmac = computeIntegrity(out, offset, key, algorithm);
    out.writeUInt16BE(algorithm === 'sha1' ? ATTR_MESSAGE_INTEGRITY : ATTR_MESSAGE_INTEGRITY_SHA256, offset);
    out.writeUInt16BE(hmac.length, offset + 2);
    hmac.copy(out, offset + 4);
    offset += 4 + hmac.length;
  }
  if (options.fingerprint) {
    // The length field already counts FINGERPRINT, as RFC 8489 §14.7 requires for the CRC input.
    const value = fingerprintValue(out, offset);
    out.writeUInt16BE(ATTR_FINGERPRINT, offset);
    out.writeUInt16BE(4, offset + 2);
    out.writeUInt32BE(value, offset + 4);
  }
  return out;
}
