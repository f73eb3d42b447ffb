import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The session cookie's content, sealed with AES-256-GCM so the admin token inside is neither
 * readable nor forgeable by whoever holds the cookie jar. Pure: key and clock are passed in.
 *
 * Format: base64url(version byte 1 | 12-byte IV | ciphertext | 16-byte tag).
 */
export const Session = z.object({
  /** The admin JWT, forwarded to the admin API as Bearer. */
  token: z.string().min(1),
  userId: z.string(),
  /** Unix epoch ms: the earlier of the token's exp and the login's max age. */
  expiresAtMs: z.number(),
});
export type Session = z.infer<typeof Session>;

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A token of the largest size we accept plus the JSON around it; longer cookies are refused unread. */
export const MAX_SEALED_SESSION_CHARS = 8192;

export function sealSession(session: Session, key: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(session), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
}

export type UnsealResult = { ok: true; session: Session } | { ok: false; reason: 'malformed' | 'expired' };

/** Opens a sealed session; a tampered, foreign-key, malformed or expired cookie is refused. */
export function unsealSession(sealed: string, key: Uint8Array, nowMs: number): UnsealResult {
  if (sealed.length > MAX_SEALED_SESSION_CHARS || !/^[A-Za-z0-9_-]+$/.test(sealed)) return { ok: false, reason: 'malformed' };
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 1 + IV_BYTES + TAG_BYTES + 2 || bytes[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const iv = bytes.subarray(1, 1 + IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const ciphertext = bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES);
  let json: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    json = JSON.parse(Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = Session.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (parsed.data.expiresAtMs <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, session: parsed.data };
}
