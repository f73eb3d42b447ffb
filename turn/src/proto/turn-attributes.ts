import { FAMILY_IPV4, FAMILY_IPV6 } from '../stun/constants.js';

/**
 * Value codecs of the TURN attributes (RFC 8656 §14). Decoders return null for a malformed value,
 * which the handlers answer with 400.
 */

/** CHANNEL-NUMBER (§14.1): 16-bit number, 16 bits RFFU. */
export function encodeChannelNumber(channel: number): Buffer {
  const value = Buffer.alloc(4);
  value.writeUInt16BE(channel, 0);
  return value;
}

export function decodeChannelNumber(value: Uint8Array | undefined): number | null {
  if (!value || value.length !== 4) return null;
  return (value[0]! << 8) | value[1]!;
}

/** REQUESTED-TRANSPORT (§14.7): IANA protocol number, 24 bits RFFU. */
export function encodeRequestedTransport(protocol: number): Buffer {
  const value = Buffer.alloc(4);
  value[0] = protocol;
  return value;
}

export function decodeRequestedTransport(value: Uint8Array | undefined): number | null {
  if (!value || value.length !== 4) return null;
  return value[0]!;
}

/** REQUESTED-ADDRESS-FAMILY (§14.2) and ADDITIONAL-ADDRESS-FAMILY (§14.9): family byte, 24 bits reserved. */
export function encodeAddressFamily(family: 4 | 6): Buffer {
  const value = Buffer.alloc(4);
  value[0] = family === 4 ? FAMILY_IPV4 : FAMILY_IPV6;
  return value;
}

/** 4 or 6; 0 for a well-formed value naming another family; null when malformed. */
export function decodeAddressFamily(value: Uint8Array | undefined): 4 | 6 | 0 | null {
  if (!value || value.length !== 4) return null;
  return value[0] === FAMILY_IPV4 ? 4 : value[0] === FAMILY_IPV6 ? 6 : 0;
}

/** EVEN-PORT (§14.6): one byte whose top bit R asks to reserve the next port. */
export function encodeEvenPort(reserveNext: boolean): Buffer {
  return Buffer.from([reserveNext ? 0x80 : 0]);
}

export function decodeEvenPort(value: Uint8Array | undefined): { reserveNext: boolean } | null {
  if (!value || value.length !== 1) return null;
  return { reserveNext: (value[0]! & 0x80) !== 0 };
}

/** RESERVATION-TOKEN (§14.8): 8 opaque bytes. */
export const RESERVATION_TOKEN_BYTES = 8;

/** ADDRESS-ERROR-CODE (§14.10): family, reserved bits, error class and number, reason phrase. */
export function encodeAddressErrorCode(family: 4 | 6, code: number, reason: string): Buffer {
  const phrase = Buffer.from(reason, 'utf8');
  const value = Buffer.alloc(4 + phrase.length);
  value[0] = family === 4 ? FAMILY_IPV4 : FAMILY_IPV6;
  value[2] = Math.floor(code / 100) & 0x07;
  value[3] = code % 100;
  phrase.copy(value, 4);
  return value;
}

export function decodeAddressErrorCode(value: Uint8Array | undefined): { family: 4 | 6; code: number } | null {
  if (!value || value.length < 4) return null;
  const family = value[0] === FAMILY_IPV4 ? 4 : value[0] === FAMILY_IPV6 ? 6 : null;
  if (family === null) return null;
  return { family, code: (value[2]! & 0x07) * 100 + value[3]! };
}
