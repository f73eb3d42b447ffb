import { describe, expect, it } from 'vitest';
import { CACHED_NONCES, NonceIssuer } from './nonce.js';

describe('stateless nonces', () => {
  const t0 = 1_700_000_000_000;

  it('accepts its own nonce for the same client IP until it expires, then calls it expired', () => {
    const issuer = new NonceIssuer(['s1'], 600);
    const nonce = issuer.mint('192.0.2.1', t0);
    expect(nonce.startsWith('obMatJos2')).toBe(true);
    expect(issuer.check(nonce, '192.0.2.1', t0 + 599_000)).toBe('valid');
    expect(issuer.check(nonce, '192.0.2.1', t0 + 601_000)).toBe('expired');
  });

  it('is bound to the client IP', () => {
    const issuer = new NonceIssuer(['s1'], 600);
    expect(issuer.check(issuer.mint('192.0.2.1', t0), '192.0.2.2', t0)).toBe('forged');
  });

  it('is checked by any node sharing a secret, in any rotation order, and by no other', () => {
    const minted = new NonceIssuer(['old'], 600).mint('192.0.2.1', t0);
    expect(new NonceIssuer(['new', 'old'], 600).check(minted, '192.0.2.1', t0)).toBe('valid');
    expect(new NonceIssuer(['other'], 600).check(minted, '192.0.2.1', t0)).toBe('forged');
  });

  it('treats an altered expiry or tag, and arbitrary text, as forged', () => {
    const issuer = new NonceIssuer(['s1'], 600);
    const nonce = issuer.mint('192.0.2.1', t0);
    const later = nonce.slice(0, 13) + 'ffffffff' + nonce.slice(21);
    expect(issuer.check(later, '192.0.2.1', t0)).toBe('forged');
    expect(issuer.check(nonce.slice(0, -1) + (nonce.endsWith('A') ? 'B' : 'A'), '192.0.2.1', t0)).toBe('forged');
    expect(issuer.check('f//499k954d6OL34oL9FSTvy64sA', '192.0.2.1', t0)).toBe('forged');
    expect(issuer.check('', '192.0.2.1', t0)).toBe('forged');
  });

  it('hands one client IP the same nonce while half its lifetime is left, then a fresh one', () => {
    const issuer = new NonceIssuer(['s1'], 600);
    const first = issuer.mint('192.0.2.1', t0);
    expect(issuer.mint('192.0.2.1', t0 + 299_000)).toBe(first);
    expect(issuer.mint('192.0.2.2', t0 + 1000)).not.toBe(first);
    const fresh = issuer.mint('192.0.2.1', t0 + 301_000);
    expect(fresh).not.toBe(first);
    expect(issuer.check(fresh, '192.0.2.1', t0 + 301_000 + 599_000)).toBe('valid');
    // Another node with the same secret still verifies what this node minted from its cache.
    expect(new NonceIssuer(['s1'], 600).check(first, '192.0.2.1', t0 + 299_000)).toBe('valid');
  });

  it('still binds a remembered nonce to its client IP and still lets it expire', () => {
    const issuer = new NonceIssuer(['s1'], 600);
    const nonce = issuer.mint('192.0.2.1', t0);
    expect(issuer.check(nonce, '192.0.2.1', t0)).toBe('valid');
    expect(issuer.check(nonce, '192.0.2.9', t0)).toBe('forged');
    expect(issuer.check(nonce, '192.0.2.1', t0 + 601_000)).toBe('expired');
    // A nonce verified once by HMAC (minted elsewhere) is remembered with the same rules.
    const foreign = new NonceIssuer(['s1'], 600).mint('192.0.2.3', t0);
    expect(issuer.check(foreign, '192.0.2.3', t0)).toBe('valid');
    expect(issuer.check(foreign, '192.0.2.4', t0)).toBe('forged');
  });

  it('keeps its caches bounded whatever the number of client IPs', () => {
    const issuer = new NonceIssuer(['s1'], 600);
    for (let i = 0; i < CACHED_NONCES + 500; i++) issuer.mint(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, t0);
    expect(issuer.cachedEntries).toEqual({ minted: CACHED_NONCES, verified: CACHED_NONCES });
    // The oldest were forgotten, not refused: their nonces still verify by HMAC.
    expect(issuer.check(issuer.mint('10.0.0.0', t0 + 1000), '10.0.0.0', t0 + 1000)).toBe('valid');
  });
});
