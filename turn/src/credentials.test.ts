import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatTurnUsername, mintTurnCredential, parseTurnUsername, turnPassword, verifyTurnPassword } from './credentials.js';

describe('TURN REST credentials', () => {
  it('computes the coturn password as base64 HMAC-SHA1 of the username', () => {
    const username = '1700000000:alice';
    const expected = createHmac('sha1', 'north').update(username).digest('base64');
    expect(turnPassword('north', username)).toBe(expected);
  });

  it('round-trips user, room and session tag through the opaque id', () => {
    const username = formatTurnUsername(1_700_000_600, { userId: 'alice@example.com', room: 'standup:42', sessionTag: 'p_abc' });
    expect(username.startsWith('1700000600:')).toBe(true);
    expect(parseTurnUsername(username)).toEqual({ expiresAt: 1_700_000_600, userId: 'alice@example.com', room: 'standup:42', sessionTag: 'p_abc' });
  });

  it('keeps the room null when none was given', () => {
    const username = formatTurnUsername(10, { userId: 'bob', sessionTag: 't1' });
    expect(parseTurnUsername(username)).toMatchObject({ userId: 'bob', room: null });
  });

  it('accepts usernames minted by other issuers with an unattributed opaque part', () => {
    expect(parseTurnUsername('1700000000:someone-else')).toEqual({ expiresAt: 1_700_000_000, userId: null, room: null, sessionTag: null });
    expect(parseTurnUsername('no-expiry')).toBeNull();
    expect(parseTurnUsername(':x')).toBeNull();
    expect(parseTurnUsername('12x:y')).toBeNull();
  });

  it('mints a credential that verifies under any rotation secret and fails under others', () => {
    const minted = mintTurnCredential({ secret: 'new', ttlSeconds: 600, nowSeconds: 1000, subject: { userId: 'u', sessionTag: 's' } });
    expect(minted.expiresAt).toBe(1600);
    expect(verifyTurnPassword(['old', 'new'], minted.username, minted.credential)).toBe(true);
    expect(verifyTurnPassword(['old'], minted.username, minted.credential)).toBe(false);
    expect(verifyTurnPassword(['new'], minted.username.replace('1600', '1601'), minted.credential)).toBe(false);
  });
});
