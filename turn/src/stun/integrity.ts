import { createHash, createHmac, hash, timingSafeEqual } from 'node:crypto';
import { HEADER_BYTES, PASSWORD_ALGORITHM_SHA256 } from './constants.js';
import type { StunMessage } from './message.js';

/**
 * MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) and MESSAGE-INTEGRITY-SHA256 (§14.6): the HMAC
 * covers the message up to the attribute, with the header length pretending the message ends
 * right after it.
 */
export type IntegrityAlgorithm = 'sha1' | 'sha256';

export const INTEGRITY_SHA1_BYTES = 20;
export const INTEGRITY_SHA256_BYTES = 32;

/**
 * HMAC (RFC 2104) as two one-shot hashes over pads derived once per key:
 * H((K ^ opad) || H((K ^ ipad) || text)). Node's createHmac sets up a new OpenSSL context per
 * call, which cost about a quarter more per HMAC than two `crypto.hash` calls; a relay signs or
 * checks four or five messages per allocation. Keys are the long-term keys the authenticator
 * keeps, so their pads are remembered per key object (a key's bytes must not change after use).
 */
const HMAC_BLOCK_BYTES = 64; // the block size B of both SHA-1 and SHA-256
const MAX_DIGEST_BYTES = 32;

interface HmacPads {
  /** K ^ ipad, one block. */
  inner: Buffer;
  /** K ^ opad, one block, then room for the inner digest. */
  outer: Buffer;
}

const padsByKey = new WeakMap<Uint8Array, HmacPads>();
/** The inner hash input: K ^ ipad, then the message; grown when a longer message comes. */
let innerInput = Buffer.allocUnsafe(HMAC_BLOCK_BYTES + 1024);

function padsOf(key: Uint8Array): HmacPads {
  let pads = padsByKey.get(key);
  if (pads === undefined) {
    const inner = Buffer.alloc(HMAC_BLOCK_BYTES, 0x36);
    const outer = Buffer.alloc(HMAC_BLOCK_BYTES + MAX_DIGEST_BYTES);
    outer.fill(0x5c, 0, HMAC_BLOCK_BYTES);
    for (let i = 0; i < key.length; i++) {
      inner[i] = inner[i]! ^ key[i]!;
      outer[i] = outer[i]! ^ key[i]!;
    }
    pads = { inner, outer };
    padsByKey.set(key, pads);
  }
  return pads;
}

/** HMAC of `raw[0, attributeOffset)` with the length field set as if the attribute of `hashBytes` ended the message. */
export function computeIntegrity(
  raw: Uint8Array,
  attributeOffset: number,
  key: Uint8Array,
  algorithm: IntegrityAlgorithm,
  valueBytes = algorithm === 'sha1' ? INTEGRITY_SHA1_BYTES : INTEGRITY_SHA256_BYTES,
): Buffer {
  const lengthField = attributeOffset - HEADER_BYTES + 4 + valueBytes;
  if (key.length > HMAC_BLOCK_BYTES) {
    // RFC 2104 hashes such keys first; no STUN key is that long (MD5 / SHA-256 of the password, or a short-term password).
    const header = Buffer.from(raw.subarray(0, HEADER_BYTES));
    header.writeUInt16BE(lengthField, 2);
    return createHmac(algorithm, key).update(header).update(raw.subarray(HEADER_BYTES, attributeOffset)).digest();
  }
  const pads = padsOf(key);
  const innerBytes = HMAC_BLOCK_BYTES + attributeOffset;
  if (innerInput.length < innerBytes) innerInput = Buffer.allocUnsafe(innerBytes);
  innerInput.set(pads.inner, 0);
  innerInput.set(raw.subarray(0, attributeOffset), HMAC_BLOCK_BYTES);
  innerInput.writeUInt16BE(lengthField, HMAC_BLOCK_BYTES + 2);
  const innerDigest = hash(algorithm, innerInput.subarray(0, innerBytes), 'buffer');
  pads.outer.set(innerDigest, HMAC_BLOCK_BYTES);
  return hash(algorithm, pads.outer.subarray(0, HMAC_BLOCK_BYTES + innerDigest.length), 'buffer');
}

/**
 * Checks the integrity attribute of a decoded message with `key`. When both are present the
 * SHA-256 one is used (RFC 8489 §9.2.4: "If the request contains MESSAGE-INTEGRITY-SHA256 ... the
 * server MUST use it"). Returns the algorithm that verified, or null.
 */
export function verifyIntegrity(message: StunMessage, key: Uint8Array): IntegrityAlgorithm | null {
  if (message.integritySha256Offset !== -1) {
    const offset = message.integritySha256Offset;
    const length = message.raw.readUInt16BE(offset + 2);
    // §14.6: the value may be truncated to 16..32 bytes in steps of 4.
    if (length < 16 || length > INTEGRITY_SHA256_BYTES || (length & 3) !== 0) return null;
    const expected = computeIntegrity(message.raw, offset, key, 'sha256', length);
    return timingSafeEqual(expected.subarray(0, length), message.raw.subarray(offset + 4, offset + 4 + length)) ? 'sha256' : null;
  }
  if (message.integrityOffset !== -1) {
    const offset = message.integrityOffset;
    if (message.raw.readUInt16BE(offset + 2) !== INTEGRITY_SHA1_BYTES) return null;
    const expected = computeIntegrity(message.raw, offset, key, 'sha1');
    return timingSafeEqual(expected, message.raw.subarray(offset + 4, offset + 4 + INTEGRITY_SHA1_BYTES)) ? 'sha1' : null;
  }
  return null;
}

/**
 * The long-term credential key (RFC 8489 §9.2.2): MD5 or SHA-256 of
 * "username:realm:password" (the password after OpaqueString; REST passwords are ASCII base64).
 */
export function longTermKey(username: string, realm: string, password: string, passwordAlgorithm = 0x0001): Buffer {
  const hash = passwordAlgorithm === PASSWORD_ALGORITHM_SHA256 ? 'sha256' : 'md5';
  return createHash(hash).update(`${username}:${realm}:${password}`, 'utf8').digest();
}
