import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Ephemeral TURN credentials in the coturn "TURN REST API" format, the one module of turn/ that
 * the signal server imports: the server mints them, the relay checks them, and because the
 * format is coturn's, the same shared secret also works with coturn, eturnal, STUNner or pion.
 *
 *   username   = "<expiry unix seconds>:<opaque id>"
 *   credential = base64(HMAC-SHA1(secret, username))
 *
 * Parley's opaque id is "<b64url(userId)>.<b64url(room) or empty>.<session tag>", so the relay can
 * attribute usage to a user and a room without any shared state.
 */

export interface TurnCredentialSubject {
  userId: string;
  /** Room the credential was issued for, when known. */
  room?: string | undefined;
  /** Distinguishes credentials of one user (the peer id, or a random tag). */
  sessionTag: string;
}

export interface TurnCredential {
  username: string;
  credential: string;
  /** Unix epoch seconds. */
  expiresAt: number;
  ttlSeconds: number;
}

export interface ParsedTurnUsername {
  expiresAt: number;
  /** Null when the opaque part was not minted by Parley (another issuer sharing the secret). */
  userId: string | null;
  room: string | null;
  sessionTag: string | null;
}

const SESSION_TAG = /^[A-Za-z0-9_-]{1,64}$/;
/** STUN USERNAME is at most 513 bytes (RFC 8489 §14.3). */
export const MAX_TURN_USERNAME_BYTES = 513;

function encodePart(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

function decodePart(value: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) return null;
  return Buffer.from(value, 'base64url').toString('utf8');
}

export function formatTurnUsername(expiresAt: number, subject: TurnCredentialSubject): string {
  if (!SESSION_TAG.test(subject.sessionTag)) throw new RangeError('sessionTag must be 1-64 characters of A-Z a-z 0-9 _ -');
  const opaque = `${encodePart(subject.userId)}.${subject.room ? encodePart(subject.room) : ''}.${subject.sessionTag}`;
  const username = `${Math.floor(expiresAt)}:${opaque}`;
  if (Buffer.byteLength(username) > MAX_TURN_USERNAME_BYTES) throw new RangeError('TURN username longer than 513 bytes');
  return username;
}

/** Reads a REST username. Returns null when it has no "<expiry>:" prefix at all. */
export function parseTurnUsername(username: string): ParsedTurnUsername | null {
  const colon = username.indexOf(':');
  if (colon <= 0) return null;
  const expiryText = username.slice(0, colon);
  if (!/^\d{1,12}$/.test(expiryText)) return null;
  const expiresAt = Number(expiryText);
  const parts = username.slice(colon + 1).split('.');
  if (parts.length !== 3 || !SESSION_TAG.test(parts[2]!)) return { expiresAt, userId: null, room: null, sessionTag: null };
  const userId = decodePart(parts[0]!);
  const room = parts[1] === '' ? '' : decodePart(parts[1]!);
  if (userId === null || userId === '' || room === null) return { expiresAt, userId: null, room: null, sessionTag: null };
  return { expiresAt, userId, room: room === '' ? null : room, sessionTag: parts[2]! };
}

/** The coturn REST password: base64(HMAC-SHA1(secret, username)). */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

export function mintTurnCredential(options: {
  secret: string;
  ttlSeconds: number;
  nowSeconds: number;
  subject: TurnCredentialSubject;
}): TurnCredential {
  const expiresAt = Math.floor(options.nowSeconds) + options.ttlSeconds;
  const username = formatTurnUsername(expiresAt, options.subject);
  return { username, credential: turnPassword(options.secret, username), expiresAt, ttlSeconds: options.ttlSeconds };
}

/** True when `credential` is the REST password of `username` under one of `secrets` (rotation). */
export function verifyTurnPassword(secrets: readonly string[], username: string, credential: string): boolean {
  const presented = Buffer.from(credential);
  return secrets.some((secret) => {
    const expected = Buffer.from(turnPassword(secret, username));
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  });
}
