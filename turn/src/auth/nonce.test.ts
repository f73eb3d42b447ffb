import { describe, expect, it } from 'vitest';
import { NonceIssuer } from './nonce.js';

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
});
