import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from './support/test-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const SECRET = 'integration-secret-long-enough-for-hs256';

/**
 * A JWKS endpoint that holds every request until the test releases it: the token check of a
 * connection then stays pending for as long as the test needs, over real sockets.
 */
async function heldJwksServer(): Promise<{ url: string; sign: (sub: string) => Promise<string>; release: () => void; close: () => Promise<void> }> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const body = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'held', alg: 'ES256', use: 'sig' }] });
  const held: ServerResponse[] = [];
  let released = false;
  const server: Server = createServer((_request, response) => {
    if (released) response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    else held.push(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    sign: (sub) =>
      new SignJWT({ parley: { rooms: ['r'], create: true } })
        .setProtectedHeader({ alg: 'ES256', kid: 'held' })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(pair.privateKey),
    release: () => {
      released = true;
      for (const response of held.splice(0)) response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('WebSocket upgrade and the token check that follows it', () => {
  let t: TestServer | undefined;
  let jwks: Awaited<ReturnType<typeof heldJwksServer>> | undefined;
  afterEach(async () => {
    jwks?.release();
    await t?.stop();
    await jwks?.close();
    t = undefined;
    jwks = undefined;
  });

  async function start(limits: Record<string, number> = {}) {
    jwks = await heldJwksServer();
    t = await startTestServer({ config: { auth: { hs256Secrets: [SECRET], jwksUrl: jwks.url }, limits } });
    return { t, jwks };
  }

  it('handles frames sent before the token was verified, in order, once it is', async () => {
    const { t, jwks } = await start();
    const client = await TestClient.connect(`${t.server.wsUrl}?access_token=${await jwks.sign('early-bird')}`);
    client.send({ type: 'room.join', room: 'r', rid: 1 });
    client.send({ type: 'ping', rid: 2 });
    // Nothing can be answered while the key set is being fetched.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.received).toEqual([]);
    jwks.release();
    const session = await client.nextOf('session');
    expect(session.peerId).toMatch(/^p_/);
    const joined = await client.next((frame) => 'rid' in frame && frame.rid === 1);
    expect(joined.type).toBe('room.joined');
    const pong = await client.next((frame) => 'rid' in frame && frame.rid === 2);
    expect(pong.type).toBe('pong');
    expect(client.received.map((frame) => frame.type)).toEqual(['session', 'room.joined', 'pong']);
  });

  it('closes a client that floods frames before its token was verified with ABUSE, and serves others meanwhile', async () => {
    const { t, jwks } = await start();
    const flooder = await TestClient.connect(`${t.server.wsUrl}?access_token=${await jwks.sign('flooder')}`);
    for (let index = 0; index < 40; index++) flooder.send({ type: 'ping', rid: index });
    const closed = await flooder.closed;
    expect(closed).toEqual({ code: 4429, reason: 'ABUSE' });
    expect(flooder.received).toEqual([expect.objectContaining({ type: 'error', code: 'ABUSE' })]);
    // An HS256 user is not held by the JWKS fetch and never noticed.
    const { client: bystander } = await t.connect({ userId: 'bystander', rooms: ['r'], create: true });
    expect((await bystander.request({ type: 'ping' })).type).toBe('pong');
    // The flooder's pending check settles later without effect.
    jwks.release();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(flooder.received).toHaveLength(1);
  });

  it('gives back the connection slot of a client that left before its token was verified', async () => {
    const { t, jwks } = await start({ connectionsPerUser: 1 });
    const token = await jwks.sign('impatient');
    const first = await TestClient.connect(`${t.server.wsUrl}?access_token=${token}`);
    first.ws.close(1000);
    await first.closed;
    jwks.release();
    const second = await TestClient.connect(`${t.server.wsUrl}?access_token=${token}`);
    expect((await second.nextOf('session')).type).toBe('session');
    const third = await TestClient.connect(`${t.server.wsUrl}?access_token=${token}`);
    expect(await third.closed).toEqual({ code: 4430, reason: 'TOO_MANY_CONNECTIONS' });
  });

  it('starts a session on every one of 300 concurrent connections and drops none', async () => {
    t = await startTestServer({ config: { auth: { hs256Secrets: [SECRET] }, limits: { connectionsPerIp: 1000 } } });
    const server = t.server;
    const tokens = await Promise.all(Array.from({ length: 300 }, (_, index) => server.mintToken({ userId: `storm-${index}`, rooms: ['r'] })));
    const outcomes = await Promise.all(
      tokens.map(
        (token) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(`${server.wsUrl}?access_token=${token}`);
            ws.on('message', (data) => {
              const frame = JSON.parse(data.toString()) as { type: string };
              ws.terminate();
              resolve(frame.type);
            });
            ws.on('error', () => undefined);
            ws.on('close', (code) => resolve(`closed ${code}`));
          }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome !== 'session')).toEqual([]);
  });
});
