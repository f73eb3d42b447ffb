import { exportSPKI, generateKeyPair, SignJWT, base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from './support/test-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const SECRET = 'integration-secret-long-enough-for-hs256';

/** Token failures over a real WebSocket: each one gets its own close code and error frame. */
describe('WebSocket authentication', () => {
  let t: TestServer;
  let rsaPem: string;
  let rsaPrivate: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    rsaPem = await exportSPKI(pair.publicKey);
    rsaPrivate = pair.privateKey;
    t = await startTestServer({ config: { auth: { hs256Secrets: [SECRET], publicKeys: [{ alg: 'RS256', pem: rsaPem, kid: 'rsa-1' }], audience: 'parley' } } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const hs = (payload: Record<string, unknown>, secret = SECRET) => new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
  const good = () => ({ sub: 'alice', aud: 'parley', iat: now(), exp: now() + 300, parley: { rooms: ['r'] } });

  async function refusedWith(url: string, options?: { protocols?: string[] }) {
    const client = await TestClient.connect(url, options);
    const closed = await client.closed;
    return { closed, frames: client.received };
  }

  const cases: [string, () => Promise<string | undefined>, string, number][] = [
    ['missing', async () => undefined, 'TOKEN_MISSING', 4410],
    ['malformed', async () => 'definitely.not.ajwt', 'TOKEN_MALFORMED', 4411],
    ['expired', async () => hs({ ...good(), iat: now() - 600, exp: now() - 60 }), 'TOKEN_EXPIRED', 4412],
    ['not yet valid (nbf)', async () => hs({ ...good(), nbf: now() + 600 }), 'TOKEN_NOT_YET_VALID', 4413],
    ['signed with another secret', async () => hs(good(), 'some-other-secret-long-enough-for-hs256'), 'TOKEN_BAD_SIGNATURE', 4414],
    ['without sub', async () => hs({ ...good(), sub: undefined }), 'TOKEN_BAD_CLAIMS', 4415],
    ['for another audience', async () => hs({ ...good(), aud: 'someone-else' }), 'TOKEN_BAD_CLAIMS', 4415],
    [
      'with alg none',
      async () => `${base64url.encode(JSON.stringify({ alg: 'none' }))}.${base64url.encode(JSON.stringify(good()))}.`,
      'TOKEN_MALFORMED',
      4411,
    ],
    ['HS256 signed with the RSA public key PEM (key confusion)', async () => hs(good(), rsaPem), 'TOKEN_BAD_SIGNATURE', 4414],
    [
      'with a tampered payload',
      async () => {
        const [header, , signature] = (await hs(good())).split('.');
        return `${header}.${base64url.encode(JSON.stringify({ ...good(), parley: { rooms: ['*'], admin: true } }))}.${signature}`;
      },
      'TOKEN_BAD_SIGNATURE',
      4414,
    ],
  ];

  for (const [name, token, code, closeCode] of cases) {
    it(`closes a connection whose token is ${name} with ${closeCode} ${code}`, async () => {
      const jwt = await token();
      const { closed, frames } = await refusedWith(jwt === undefined ? t.server.wsUrl : `${t.server.wsUrl}?access_token=${encodeURIComponent(jwt)}`);
      expect(closed).toEqual({ code: closeCode, reason: code });
      expect(frames).toEqual([{ type: 'error', code }]);
    });
  }

  it('accepts an RS256 token by kid, given in the Sec-WebSocket-Protocol header, and selects parley.v1', async () => {
    const jwt = await new SignJWT(good()).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsaPrivate);
    const client = await TestClient.connect(t.server.wsUrl, { protocols: ['parley.v1', `access_token.${jwt}`] });
    expect(client.ws.protocol).toBe('parley.v1');
    expect(await client.nextOf('session')).toMatchObject({ userId: 'alice' });
    await client.close();
  });

  it('accepts a token in an Authorization: Bearer header (non-browser clients)', async () => {
    const client = await TestClient.connect(t.server.wsUrl, { headers: { authorization: `Bearer ${await hs(good())}` } });
    expect(await client.nextOf('session')).toMatchObject({ userId: 'alice' });
    await client.close();
  });

  it('refuses the admin API without a valid token (401) and to a token without the admin grant (403)', async () => {
    const missing = await fetch(`${t.server.url}/v1/admin/rooms`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'TOKEN_MISSING' } });
    const expired = await fetch(`${t.server.url}/v1/admin/overview`, { headers: { authorization: `Bearer ${await hs({ ...good(), exp: now() - 60 })}` } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { code: 'TOKEN_EXPIRED' } });
    const user = await fetch(`${t.server.url}/v1/admin/rooms`, { headers: { authorization: `Bearer ${await hs(good())}` } });
    expect(user.status).toBe(403);
    expect(await user.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'the token has no admin grant' } });
    for (const [method, path] of [
      ['POST', '/v1/admin/rooms'],
      ['DELETE', '/v1/admin/rooms/r'],
      ['DELETE', '/v1/admin/rooms/r/peers/p_1'],
      ['GET', '/v1/admin/events'],
      ['GET', '/v1/admin/turn'],
    ] as const) {
      const response = await fetch(`${t.server.url}${path}`, { method, headers: { authorization: `Bearer ${await hs(good())}` } });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    const admin = await fetch(`${t.server.url}/v1/admin/whoami`, {
      headers: { authorization: `Bearer ${await hs({ ...good(), sub: 'root', parley: { admin: true } })}` },
    });
    expect(admin.status).toBe(200);
    expect(await admin.json()).toMatchObject({ userId: 'root', admin: true });
  });
});
