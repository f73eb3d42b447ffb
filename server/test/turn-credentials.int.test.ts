import type { TurnCredentialsResponse } from '@parley/protocol';
import { parseTurnUsername, verifyTurnPassword } from '@parley/turn/credentials';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/index.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const TURN_SECRET = 'turn-shared-secret-for-tests';
const OLD_SECRET = 'previous-turn-secret-rotated';
const URLS = ['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp', 'stun:127.0.0.1:3478'];

describe('TURN credentials', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  async function setup(clock?: FakeClock, turn: Record<string, unknown> = {}) {
    t = await startTestServer({ clock, config: { turn: { secrets: [TURN_SECRET, OLD_SECRET], urls: URLS, credentialTtlSeconds: 600, refreshBeforeExpirySeconds: 60, ...turn } } });
    return t;
  }

  it('puts coturn REST credentials for the configured URIs into the session message', async () => {
    const clock = new FakeClock();
    const server = await setup(clock);
    const { session } = await server.connect({ userId: 'alice' });
    const [entry] = session.iceServers;
    expect(entry!.urls).toEqual(URLS);
    const parsed = parseTurnUsername(entry!.username!);
    expect(parsed).toEqual({ expiresAt: clock.now() / 1000 + 600, userId: 'alice', room: null, sessionTag: session.peerId });
    expect(session.turnExpiresAt).toBe(clock.now() / 1000 + 600);
    // base64(HMAC-SHA1(first secret, username)): valid under the current secret only.
    expect(verifyTurnPassword([TURN_SECRET], entry!.username!, entry!.credential!)).toBe(true);
    expect(verifyTurnPassword([OLD_SECRET], entry!.username!, entry!.credential!)).toBe(false);
  });

  it('pushes turn.refresh with fresh credentials before they expire, again and again', async () => {
    const clock = new FakeClock();
    const server = await setup(clock);
    const { client, session } = await server.connect({ userId: 'alice' });
    clock.advance(539_000);
    expect((await client.idle(30)).filter((frame) => frame.type === 'turn.refresh')).toEqual([]);
    clock.advance(1_000);
    const first = await client.nextOf('turn.refresh');
    expect(first.turnExpiresAt).toBe(session.turnExpiresAt + 540);
    expect(first.iceServers[0]!.username).not.toBe(session.iceServers[0]!.username);
    expect(verifyTurnPassword([TURN_SECRET], first.iceServers[0]!.username!, first.iceServers[0]!.credential!)).toBe(true);
    clock.advance(540_000);
    const second = await client.nextOf('turn.refresh');
    expect(second.turnExpiresAt).toBe(first.turnExpiresAt + 540);
  });

  it('refreshes at half-life when the TTL is shorter than the refresh lead time', async () => {
    const clock = new FakeClock();
    const server = await setup(clock, { credentialTtlSeconds: 60, refreshBeforeExpirySeconds: 300 });
    const { client } = await server.connect({ userId: 'alice' });
    clock.advance(30_000);
    expect(await client.nextOf('turn.refresh')).toMatchObject({ turnExpiresAt: clock.now() / 1000 + 60 });
  });

  it('mints credentials over REST for a bearer token, attributed to a room the token may join', async () => {
    const server = await setup();
    const token = await server.server.mintToken({ userId: 'bob', rooms: ['standup'] });
    const post = (body: unknown, bearer: string | null = token) =>
      fetch(`${server.server.url}/v1/turn/credentials`, {
        method: 'POST',
        headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const response = await post({ room: 'standup', ttlSeconds: 120 });
    expect(response.status).toBe(200);
    const body = (await response.json()) as TurnCredentialsResponse;
    expect(body.ttl).toBe(120);
    expect(body.iceServers[0]!.urls).toEqual(URLS);
    expect(parseTurnUsername(body.username)).toMatchObject({ userId: 'bob', room: 'standup', expiresAt: body.expiresAt });
    expect(verifyTurnPassword([TURN_SECRET], body.username, body.credential)).toBe(true);
    // The TTL is capped by the server.
    expect(((await (await post({ ttlSeconds: 86_400 })).json()) as TurnCredentialsResponse).ttl).toBe(600);

    expect((await post({ room: 'secret-room' })).status).toBe(403);
    expect(await (await post({ ttlSeconds: 'long' })).json()).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    const anonymous = await post({}, null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'TOKEN_MISSING' } });
  });

  it('hands out STUN URIs only, and no REST credentials, when no TURN secret is configured', async () => {
    t = await startTestServer({ config: { turn: { urls: URLS } } });
    const { session } = await t.connect({ userId: 'alice' });
    expect(session.iceServers).toEqual([{ urls: ['stun:127.0.0.1:3478'] }]);
    expect(session.turnExpiresAt).toBe(0);
    const response = await fetch(`${t.server.url}/v1/turn/credentials`, { method: 'POST', headers: { authorization: `Bearer ${await t.server.mintToken({ userId: 'a' })}` } });
    expect(response.status).toBe(404);
  });
});
