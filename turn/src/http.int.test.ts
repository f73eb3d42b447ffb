import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TurnNodeStatus } from '@parley/protocol';
import { startTurnServer, type TurnServer } from './server.js';
import { formatTurnUsername, turnPassword } from './credentials.js';
import { CLASS_SUCCESS } from './stun/index.js';
import { errorCodeOf, TurnTestClient, udpPeer } from '../test/turn-test-client.js';

const SECRET = 'http-secret';
const TOKEN = 'internal-token-0123456789';

function credentialsFor(userId: string, room?: string) {
  const username = formatTurnUsername(Math.floor(Date.now() / 1000) + 600, { userId, room, sessionTag: randomBytes(4).toString('hex') });
  return { username, password: turnPassword(SECRET, username) };
}

describe('the relay HTTP endpoints', () => {
  let turn: TurnServer;
  const clients: TurnTestClient[] = [];

  beforeAll(async () => {
    turn = await startTurnServer({
      config: {
        listen: { hosts: ['127.0.0.1'], udpPort: 0, tcpPort: 0 },
        http: { host: '127.0.0.1', port: 0, internalToken: TOKEN },
        auth: { secrets: [SECRET] },
        policy: { allowPeers: ['127.0.0.0/8'] },
        log: { level: 'silent' },
      },
    });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await turn.stop();
  });

  const get = (url: string, token?: string) => fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('reports allocations with user and room attribution, addresses, bytes and age on /v1/status', async () => {
    const client = await TurnTestClient.udp(turn.udpPort);
    clients.push(client);
    expect((await client.allocate(credentialsFor('alice@example.com', 'standup:42'))).cls).toBe(CLASS_SUCCESS);
    const peer = await udpPeer();
    await client.createPermission(peer.address);
    client.sendIndication(peer.address, Buffer.alloc(100, 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    peer.close();
    const response = await get(turn.statusUrl, TOKEN);
    expect(response.status).toBe(200);
    const status = TurnNodeStatus.parse(await response.json());
    const mine = status.allocations.find((allocation) => allocation.userId === 'alice@example.com');
    expect(mine).toMatchObject({ room: 'standup:42', transport: 'udp', permissions: 1, bytesToPeers: 100 });
    expect(mine!.clientAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(mine!.relayedAddresses[0]).toBe(`127.0.0.1:${client.relayed[0]!.port}`);
    expect(mine!.createdAtMs).toBeLessThanOrEqual(Date.now());
    expect(status.listeners.map((listener) => listener.transport).sort()).toEqual(['tcp', 'udp']);
  });

  it('refuses /v1/status without the token (401 TOKEN_MISSING) and with a wrong one (403 FORBIDDEN)', async () => {
    const missing = await get(turn.statusUrl);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { code: 'TOKEN_MISSING' } });
    const wrong = await get(turn.statusUrl, 'guess');
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ error: { code: 'FORBIDDEN' } });
  });

  it('serves /healthz and /metrics without a token, and the metrics pass promtool check metrics', async () => {
    expect((await get(turn.statusUrl.replace('/v1/status', '/healthz'))).status).toBe(200);
    const text = await (await get(turn.metricsUrl)).text();
    for (const name of ['parley_turn_allocations', 'parley_turn_requests_total', 'parley_turn_relay_bytes_total', 'parley_turn_relay_packets_total', 'parley_turn_packets_dropped_total', 'parley_turn_auth_failures_total']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(/parley_turn_requests_total\{method="allocate",code="200"\} [1-9]/);
    expect(text).toMatch(/parley_turn_relay_bytes_total\{direction="to_peer"\} [1-9]/);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (promtool.error) throw new Error(`promtool is missing (apt-get install prometheus): ${promtool.error.message}`);
    expect(`${promtool.stdout}${promtool.stderr}`.trim()).toBe('');
    expect(promtool.status).toBe(0);
  });

  it('revokes a user: its allocations end at once and its next Allocate gets 401', async () => {
    const client = await TurnTestClient.udp(turn.udpPort);
    clients.push(client);
    const creds = credentialsFor('revoked-user');
    expect((await client.allocate(creds)).cls).toBe(CLASS_SUCCESS);
    const bad = await fetch(turn.statusUrl.replace('/v1/status', '/v1/revocations'), {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ untilSeconds: 'soon' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'INVALID_REQUEST' } });
    const response = await fetch(turn.statusUrl.replace('/v1/status', '/v1/revocations'), {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'revoked-user', untilSeconds: Math.floor(Date.now() / 1000) + 3600 }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ allocationsEnded: 1 });
    expect(turn.status().allocations.some((allocation) => allocation.userId === 'revoked-user')).toBe(false);
    const again = await TurnTestClient.udp(turn.udpPort);
    clients.push(again);
    expect(errorCodeOf(await again.allocate(credentialsFor('revoked-user')))).toBe(401);
  });

  it('answers unknown routes with 404 NOT_FOUND and oversized bodies with 413', async () => {
    const missing = await get(turn.statusUrl.replace('/v1/status', '/nope'));
    expect(missing.status).toBe(404);
    const big = await fetch(turn.statusUrl.replace('/v1/status', '/v1/revocations'), {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: 'x'.repeat(20_000),
    });
    expect(big.status).toBe(413);
  });
});
