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

/**
 * Nonces remembered per node, so the HMAC runs once per client IP and nonce rather than on every
 * request (an Allocate cycle costs three HMACs otherwise: mint, then a check per signed request).
 * Bounded: the oldest entry leaves first, so no number of clients grows them. Only an HMAC that
 * verified (or this node's own mint) puts a nonce in, so the caches never accept anything the
 * stateless check would refuse; other nodes keep accepting these nonces as before.
 */
export const CACHED_NONCES = 10_000;

export class NonceIssuer {
  private readonly keys: Buffer[];
  /** Client IP → the nonce last minted for it, reused while at least half its lifetime is left. */
  private readonly minted = new Map<string, { nonce: string; expiresAtMs: number }>();
  /** Nonce → the client IP its HMAC verified for. */
  private readonly verified = new Map<string, string>();

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

  /** Entries the two caches hold (each at most CACHED_NONCES). */
  get cachedEntries(): { minted: number; verified: number } {
    return { minted: this.minted.size, verified: this.verified.size };
  }

  mint(clientIp: string, nowMs: number): string {
    const recent = this.minted.get(clientIp);
    if (recent !== undefined && recent.expiresAtMs - nowMs >= (this.lifetimeSeconds * 1000) / 2) return recent.nonce;
    const expirySeconds = Math.floor(nowMs / 1000 + this.lifetimeSeconds);
    const expiryHex = expirySeconds.toString(16).padStart(8, '0');
    const nonce = PREFIX + expiryHex + this.tag(this.keys[0]!, expiryHex, clientIp);
    if (recent !== undefined) this.minted.delete(clientIp);
    remember(this.minted, clientIp, { nonce, expiresAtMs: expirySeconds * 1000 });
    remember(this.verified, nonce, clientIp);
    return nonce;
  }

  check(nonce: string, clientIp: string, nowMs: number): NonceCheck {
    if (nonce.length !== PREFIX.length + 8 + TAG_CHARS || !nonce.startsWith(PREFIX)) return 'forged';
    const expiryHex = nonce.slice(PREFIX.length, PREFIX.length + 8);
    if (this.verified.get(nonce) !== clientIp) {
      if (!/^[0-9a-f]{8}$/.test(expiryHex)) return 'forged';
      const presented = Buffer.from(nonce.slice(PREFIX.length + 8));
      const authentic = this.keys.some((key) => {
        const expected = Buffer.from(this.tag(key, expiryHex, clientIp));
        return expected.length === presented.length && timingSafeEqual(expected, presented);
      });
      if (!authentic) return 'forged';
      remember(this.verified, nonce, clientIp);
    }
    return parseInt(expiryHex, 16) * 1000 > nowMs ? 'valid' : 'expired';
  }

  /** True when the nonce announces the "Password algorithms" feature (it was minted by an RFC 8489 server). */
  static announcesPasswordAlgorithms(nonce: string): boolean {
    return nonce.startsWith(PREFIX);
  }
}

/** Adds an entry to a bounded cache, dropping the oldest one when full. */
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHED_NONCES && !cache.has(key)) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
}
