import { ERROR_REASONS } from './constants.js';

/**
 * Value codecs of the plain STUN attributes (RFC 8489 §14). Decoders return null for a value of
 * the wrong shape so callers answer 400 instead of throwing.
 */

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text attributes (USERNAME, REALM, NONCE, SOFTWARE); null when not valid UTF-8 or too long. */
export function decodeText(value: Uint8Array | undefined, maxBytes: number): string | null {
  if (!value || value.length > maxBytes) return null;
  try {
    return utf8Decoder.decode(value);
  } catch {
    return null;
  }
}

export function encodeText(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** ERROR-CODE (RFC 8489 §14.8): class (hundreds) and number, then a UTF-8 reason phrase. */
export function encodeErrorCode(code: number, reason = ERROR_REASONS[code] ?? ''): Buffer {
  const phrase = Buffer.from(reason, 'utf8');
  const value = Buffer.alloc(4 + phrase.length);
  value[2] = Math.floor(code / 100) & 0x07;
  value[3] = code % 100;
  phrase.copy(value, 4);
  return value;
}

export function decodeErrorCode(value: Uint8Array | undefined): { code: number; reason: string } | null {
  if (!value || value.length < 4) return null;
  const cls = value[2]! & 0x07;
  const number = value[3]!;
  if (cls < 3 || cls > 6 || number > 99) return null;
  return { code: cls * 100 + number, reason: decodeText(value.subarray(4), 763) ?? '' };
}

/** UNKNOWN-ATTRIBUTES (§14.9): a list of 16-bit attribute types. */
export function encodeUnknownAttributes(types: readonly number[]): Buffer {
  const value = Buffer.alloc(types.length * 2);
  types.forEach((type, index) => value.writeUInt16BE(type, index * 2));
  return value;
}

export function decodeUnknownAttributes(value: Uint8Array | undefined): number[] | null {
  if (!value || (value.length & 1) !== 0) return null;
  const types: number[] = [];
  for (let i = 0; i < value.length; i += 2) types.push((value[i]! << 8) | value[i + 1]!);
  return types;
}

/** A 32-bit unsigned value (LIFETIME). */
export function encodeUint32(n: number): Buffer {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(n >>> 0, 0);
  return value;
}

export function decodeUint32(value: Uint8Array | undefined): number | null {
  if (!value || value.length !== 4) return null;
  return ((value[0]! << 24) | (value[1]! << 16) | (value[2]! << 8) | value[3]!) >>> 0;
}

/** PASSWORD-ALGORITHMS (§14.11): (algorithm, parameter length, parameters padded) repeated. */
export function encodePasswordAlgorithms(algorithms: readonly number[]): Buffer {
  const value = Buffer.alloc(algorithms.length * 4);
  algorithms.forEach((algorithm, index) => value.writeUInt16BE(algorithm, index * 4));
  return value;
}

export function decodePasswordAlgorithms(value: Uint8Array | undefined): number[] | null {
  if (!value) return null;
  const algorithms: number[] = [];
  let offset = 0;
  while (offset < value.length) {
    if (offset + 4 > value.length) return null;
    const algorithm = (value[offset]! << 8) | value[offset + 1]!;
    const parameterBytes = (value[offset + 2]! << 8) | value[offset + 3]!;
    offset += 4 + ((parameterBytes + 3) & ~3);
    if (offset > value.length) return null;
    algorithms.push(algorithm);
  }
  return algorithms;
}

/** PASSWORD-ALGORITHM (§14.12): one algorithm and its (empty, for MD5 and SHA-256) parameters. */
export function encodePasswordAlgorithm(algorithm: number): Buffer {
  const value = Buffer.alloc(4);
  value.writeUInt16BE(algorithm, 0);
  return value;
}

export function decodePasswordAlgorithm(value: Uint8Array | undefined): number | null {
  const list = decodePasswordAlgorithms(value);
  return list && list.length === 1 ? list[0]! : null;
}
