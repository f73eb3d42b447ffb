import { exportSPKI, generateKeyPair, SignJWT, base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { SignalConfigSchema, type SignalConfig } from '../config/index.js';
import { FakeClock } from '../time/fake-clock.js';
import { createTokenMinter } from './token-minter.js';
import { createTokenVerifier, TokenError, type TokenVerifier } from './token-verifier.js';

const SECRET = 'a-test-secret-that-is-long-enough-0001';
const OTHER_SECRET = 'another-secret-that-is-long-enough-002';
const NOW_S = Date.UTC(2030, 0, 1) / 1000;

function authConfig(auth: Partial<SignalConfig['auth']>): SignalConfig['auth'] {
  return SignalConfigSchema.parse({ auth }).auth;
}

async function codeOf(verifier: TokenVerifier, token: string | undefined): Promise<string> {
  try {
    await verifier.verify(token);
    return 'OK';
  } catch (error) {
    if (error instanceof TokenError) return error.code;
    throw error;
  }
}

const encoder = new TextEncoder();
const hs = (secret: string) => encoder.encode(secret);

function claims(overrides: Record<string, unknown> = {}) {
  return { sub: 'alice', iat: NOW_S, exp: NOW_S + 600, parley: { rooms: ['r'] }, ...overrides };
}

async function signHs(payload: Record<string, unknown>, secret = SECRET, header: Record<string, unknown> = {}) {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', ...header }).sign(hs(secret));
}

describe('token verification', () => {
  const clock = new FakeClock(NOW_S * 1000);
  let verifier: TokenVerifier;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let rsaPem: string;

  beforeAll(async () => {
    verifier = await createTokenVerifier(authConfig({ hs256Secrets: [SECRET] }), clock);
    rsa = await generateKeyPair('RS256', { extractable: true });
    rsaPem = await exportSPKI(rsa.publicKey);
  });

  it('accepts a valid HS256 token and returns the user and grants', async () => {
    const verified = await verifier.verify(await signHs(claims()));
    expect(verified).toEqual({ userId: 'alice', grants: { rooms: ['r'], create: false, admin: false, broadcast: true, direct: false }, expiresAt: NOW_S + 600 });
  });

  it('refuses a missing token with TOKEN_MISSING', async () => {
    expect(await codeOf(verifier, undefined)).toBe('TOKEN_MISSING');
    expect(await codeOf(verifier, '')).toBe('TOKEN_MISSING');
  });

  it('refuses garbage with TOKEN_MALFORMED', async () => {
    expect(await codeOf(verifier, 'not-a-jwt')).toBe('TOKEN_MALFORMED');
    expect(await codeOf(verifier, 'a.b.c')).toBe('TOKEN_MALFORMED');
    const valid = await signHs(claims());
    expect(await codeOf(verifier, `${valid}.extra`)).toBe('TOKEN_MALFORMED');
  });

  it('refuses an expired token with TOKEN_EXPIRED, but tolerates the leeway', async () => {
    expect(await codeOf(verifier, await signHs(claims({ iat: NOW_S - 100, exp: NOW_S - 10 })))).toBe('TOKEN_EXPIRED');
    expect(await codeOf(verifier, await signHs(claims({ iat: NOW_S - 100, exp: NOW_S - 3 })))).toBe('OK');
  });

  it('refuses nbf or iat in the future with TOKEN_NOT_YET_VALID', async () => {
    expect(await codeOf(verifier, await signHs(claims({ nbf: NOW_S + 60 })))).toBe('TOKEN_NOT_YET_VALID');
    expect(await codeOf(verifier, await signHs(claims({ iat: NOW_S + 60 })))).toBe('TOKEN_NOT_YET_VALID');
  });

  it('refuses a token signed with another secret with TOKEN_BAD_SIGNATURE', async () => {
    expect(await codeOf(verifier, await signHs(claims(), OTHER_SECRET))).toBe('TOKEN_BAD_SIGNATURE');
  });

  it('refuses a tampered payload with TOKEN_BAD_SIGNATURE', async () => {
    const [header, , signature] = (await signHs(claims())).split('.');
    const forged = base64url.encode(JSON.stringify(claims({ sub: 'mallory', parley: { rooms: ['*'], admin: true } })));
    expect(await codeOf(verifier, `${header}.${forged}.${signature}`)).toBe('TOKEN_BAD_SIGNATURE');
  });

  it('refuses missing sub or exp, bad grants and a bad user id with TOKEN_BAD_CLAIMS', async () => {
    const { sub: _sub, ...noSub } = claims();
    const { exp: _exp, ...noExp } = claims();
    expect(await codeOf(verifier, await signHs(noSub))).toBe('TOKEN_BAD_CLAIMS');
    expect(await codeOf(verifier, await signHs(noExp))).toBe('TOKEN_BAD_CLAIMS');
    expect(await codeOf(verifier, await signHs(claims({ parley: { admin: 'yes' } })))).toBe('TOKEN_BAD_CLAIMS');
    expect(await codeOf(verifier, await signHs(claims({ parley: { rooms: ['r'], superuser: true } })))).toBe('TOKEN_BAD_CLAIMS');
    expect(await codeOf(verifier, await signHs(claims({ sub: 'line\nbreak' })))).toBe('TOKEN_BAD_CLAIMS');
  });

  it('checks aud and iss when configured', async () => {
    const strict = await createTokenVerifier(authConfig({ hs256Secrets: [SECRET], audience: 'parley', issuer: 'https://auth.example' }), clock);
    expect(await codeOf(strict, await signHs(claims({ aud: 'parley', iss: 'https://auth.example' })))).toBe('OK');
    expect(await codeOf(strict, await signHs(claims({ aud: 'other', iss: 'https://auth.example' })))).toBe('TOKEN_BAD_CLAIMS');
    expect(await codeOf(strict, await signHs(claims({ aud: 'parley' })))).toBe('TOKEN_BAD_CLAIMS');
  });

  it('refuses alg "none" with TOKEN_MALFORMED', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify(claims()));
    expect(await codeOf(verifier, `${header}.${payload}.`)).toBe('TOKEN_MALFORMED');
  });

  it('refuses an HS256 token signed with the RSA public key PEM as its secret (key confusion)', async () => {
    const confused = await signHs(claims(), rsaPem);
    const rsaOnly = await createTokenVerifier(authConfig({ publicKeys: [{ alg: 'RS256', pem: rsaPem }] }), clock);
    expect(await codeOf(rsaOnly, confused)).toBe('TOKEN_MALFORMED');
    const both = await createTokenVerifier(authConfig({ hs256Secrets: [SECRET], publicKeys: [{ alg: 'RS256', pem: rsaPem }] }), clock);
    expect(await codeOf(both, confused)).toBe('TOKEN_BAD_SIGNATURE');
    // The genuine RS256 token is fine.
    const genuine = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
    expect(await codeOf(both, genuine)).toBe('OK');
  });

  it('verifies RS256, ES256 and EdDSA tokens against PEM public keys', async () => {
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      const pair = await generateKeyPair(alg, { extractable: true });
      const asymmetric = await createTokenVerifier(authConfig({ publicKeys: [{ alg, pem: await exportSPKI(pair.publicKey) }] }), clock);
      const token = await new SignJWT(claims()).setProtectedHeader({ alg }).sign(pair.privateKey);
      expect(await codeOf(asymmetric, token), alg).toBe('OK');
      const other = await generateKeyPair(alg);
      expect(await codeOf(asymmetric, await new SignJWT(claims()).setProtectedHeader({ alg }).sign(other.privateKey)), alg).toBe('TOKEN_BAD_SIGNATURE');
    }
  });

  it('picks HS256 keys by kid for rotation, and refuses an unknown kid', async () => {
    const keyed = await createTokenVerifier(
      authConfig({ hs256Keys: [{ kid: 'k1', secret: SECRET }, { kid: 'k2', secret: OTHER_SECRET }] }),
      clock,
    );
    expect(await codeOf(keyed, await signHs(claims(), OTHER_SECRET, { kid: 'k2' }))).toBe('OK');
    expect(await codeOf(keyed, await signHs(claims(), SECRET, { kid: 'k1' }))).toBe('OK');
    expect(await codeOf(keyed, await signHs(claims(), SECRET, { kid: 'k2' }))).toBe('TOKEN_BAD_SIGNATURE');
    expect(await codeOf(keyed, await signHs(claims(), SECRET, { kid: 'k9' }))).toBe('TOKEN_BAD_SIGNATURE');
  });

  it('accepts tokens of every configured kid-less secret (the first one signs)', async () => {
    const rotated = await createTokenVerifier(authConfig({ hs256Secrets: [OTHER_SECRET, SECRET] }), clock);
    expect(await codeOf(rotated, await signHs(claims(), SECRET))).toBe('OK');
    const mint = createTokenMinter(authConfig({ hs256Secrets: [OTHER_SECRET, SECRET] }), clock)!;
    const { token } = await mint({ userId: 'bob', rooms: ['r'] });
    expect(await codeOf(verifier, token)).toBe('TOKEN_BAD_SIGNATURE');
    expect(await codeOf(rotated, token)).toBe('OK');
  });
});
