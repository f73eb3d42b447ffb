import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stateless nonces (RFC 8489 §9.2): the nonce carries its own expiry and an HMAC over it and the
 * client IP, keyed by a key derived from the shared auth secrets. Any node with the same secrets
 * checks any other node's nonces; no table is kept. A nonce past its expiry, or whose HMAC does not
 * verify (another secret set, a forged or altered nonce), is stale: 438.
 */

/** §9.2: "obMatJos2" then the base64 of the 24-bit security feature set. */
export const NONCE_COOKIE = 'obMatJos2';
/** Feature set with only "Password algorithms" set: this server offers PASSWORD-ALGORITHMS. */
export const NONCE_FEATURES = 'AAAB';
const PREFIX = NONCE_COOKIE + NONCE_FEATURES;
const TAG_CHARS = 22; // 16 bytes of HMAC-SHA256 in base64url

export type NonceCheck = 'valid' | 'expired' | 'forged';

export class NonceIssuer {
  private readonly keys: Buffer[];

  constructor(
    secrets: readonly string[],
    private readonly lifetimeSeconds: number,
  ) {
    // A dedicated key per secret, so a nonce never reveals anything usable as a TURN password.
    this.keys = secrets.map((secret) => createHmac('sha256', secret).update('parley-turn-nonce-v1').digest());
  }

  private tag(key: Buffer, expiryHex: string, clientIp: string): string {
    return createHmac('sha256', key).update(`${PREFIX}${expiryHex}|${clientIp}`).digest().subarray(0, 16).toString('base64url');
  }

  mint(clientIp: string, nowMs: number): string {
    const expiryHex = Math.floor(nowMs / 1000 + this.lifetimeSeconds)
      .toString(16)
      .padStart(8, '0');
    return PREFIX + expiryHex + this.tag(this.keys[0]!, expiryHex, clientIp);
  }

  check(nonce: string, clientIp: string, nowMs: number): NonceCheck {
    if (nonce.length !== PREFIX.length + 8 + TAG_CHARS || !nonce.startsWith(PREFIX)) return 'forged';
    const expiryHex = nonce.slice(PREFIX.length, PREFIX.length + 8);
    if (!/^[0-9a-f]{8}$/.test(expiryHex)) return 'forged';
    const presented = Buffer.from(nonce.slice(PREFIX.length + 8));
    const authentic = this.keys.some((key) => {
      const expected = Buffer.from(this.tag(key, expiryHex, clientIp));
      return expected.length === presented.length && timingSafeEqual(expected, presented);
    });
    if (!authentic) return 'forged';
    return parseInt(expiryHex, 16) * 1000 > nowMs ? 'valid' : 'expired';
  }

  /** True when the nonce announces the "Password algorithms" feature (it was minted by an RFC 8489 server). */
  static announcesPasswordAlgorithms(nonce: string): boolean {
    return nonce.startsWith(PREFIX);
  }
}
