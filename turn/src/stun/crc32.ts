import { crc32 as zlibCrc32 } from 'node:zlib';
import { FINGERPRINT_XOR } from './constants.js';

/** CRC-32 (ISO HDLC, the one FINGERPRINT uses: RFC 8489 §14.7), as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes) >>> 0;
}

/**
 * FINGERPRINT's value for a message whose FINGERPRINT attribute starts at `end` (RFC 8489 §14.7):
 * "the CRC-32 of the STUN message up to (but excluding) the FINGERPRINT attribute itself, XOR'ed
 * with the 32-bit value 0x5354554e".
 */
export function fingerprintValue(message: Uint8Array, end: number): number {
  return (crc32(message.subarray(0, end)) ^ FINGERPRINT_XOR) >>> 0;
}
