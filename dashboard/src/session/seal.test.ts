import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealSession, unsealSession, type Session } from './seal.js';

const key = randomBytes(32);
const session: Session = { token: 'header.payload.signature', userId: 'ops@example.com', expiresAtMs: 2_000_000 };

describe('sealed session cookie', () => {
  it('opens what it sealed before the session expires', () => {
    expect(unsealSession(sealSession(session, key), key, 1_999_999)).toEqual({ ok: true, session });
  });

  it('does not show the token in the cookie value', () => {
    const sealed = sealSession(session, key);
    expect(sealed).not.toContain('payload');
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('payload');
  });

  it('refuses an expired session', () => {
    expect(unsealSession(sealSession(session, key), key, 2_000_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a cookie sealed under another key', () => {
    expect(unsealSession(sealSession(session, randomBytes(32)), key, 0)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a cookie with one bit flipped anywhere', () => {
    const bytes = Buffer.from(sealSession(session, key), 'base64url');
    for (const index of [0, 5, 20, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[index] = tampered[index]! ^ 1;
      expect(unsealSession(tampered.toString('base64url'), key, 0)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses garbage, empty and oversized values without throwing', () => {
    for (const value of ['', 'not a cookie', '%%%', 'AAAA', 'A'.repeat(9000)]) {
      expect(unsealSession(value, key, 0)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});
