import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalConfigSchema } from '../config/index.js';
import { FakeClock } from '../time/fake-clock.js';
import { createTokenVerifier, TokenError, type TokenVerifier } from './token-verifier.js';

const NOW_S = Date.UTC(2030, 0, 1) / 1000;

describe('JWKS keys from a real HTTP server', () => {
  let server: Server;
  let jwksUrl: string;
  let requests = 0;
  const keys = { a: undefined as unknown as Awaited<ReturnType<typeof generateKeyPair>>, b: undefined as unknown as Awaited<ReturnType<typeof generateKeyPair>> };
  let verifier: TokenVerifier;
  const clock = new FakeClock(NOW_S * 1000);

  beforeAll(async () => {
    keys.a = await generateKeyPair('RS256', { extractable: true });
    keys.b = await generateKeyPair('ES256', { extractable: true });
    const jwks = {
      keys: [
        { ...(await exportJWK(keys.a.publicKey)), kid: 'rsa-2030', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(keys.b.publicKey)), kid: 'ec-2030', alg: 'ES256', use: 'sig' },
      ],
    };
    server = createServer((_request, response) => {
      requests++;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    verifier = await createTokenVerifier(SignalConfigSchema.parse({ auth: { jwksUrl } }).auth, clock);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (privateKey: CryptoKey, alg: string, kid: string) =>
    new SignJWT({ parley: { rooms: ['*'] } }).setProtectedHeader({ alg, kid }).setSubject('carol').setIssuedAt(NOW_S).setExpirationTime(NOW_S + 60).sign(privateKey);

  it('verifies tokens of each key in the set, chosen by kid, and caches the set', async () => {
    expect((await verifier.verify(await sign(keys.a.privateKey, 'RS256', 'rsa-2030'))).userId).toBe('carol');
    expect((await verifier.verify(await sign(keys.b.privateKey, 'ES256', 'ec-2030'))).userId).toBe('carol');
    expect(requests).toBe(1);
  });

  it('refuses a kid the set does not have, and a key that does not match its kid', async () => {
    const stranger = await generateKeyPair('RS256');
    await expect(verifier.verify(await sign(stranger.privateKey, 'RS256', 'unknown'))).rejects.toMatchObject({ code: 'TOKEN_BAD_SIGNATURE' });
    await expect(verifier.verify(await sign(stranger.privateKey, 'RS256', 'rsa-2030'))).rejects.toMatchObject({ code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('refuses HS256 tokens when only a JWKS is configured', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime(NOW_S + 60).sign(new TextEncoder().encode('x'.repeat(32)));
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenError);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'TOKEN_MALFORMED' });
  });
});
