import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AdminEvent,
  HistoryResponse,
  ListRoomsResponse,
  NodesResponse,
  Overview,
  RoomDetail,
  TurnResponse,
  WhoAmI,
  type TurnNodeStatus,
  type TurnRevocation,
} from '@parley/protocol';
import { waitFor } from '@parley/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

const INTERNAL_TOKEN = 'internal-token-for-turn-nodes';

/** A TURN node's internal API as the TURN relay serves it: status and revocations, bearer-protected. */
async function fakeTurnNode() {
  const revocations: TurnRevocation[] = [];
  let bytes = 1000;
  const server: Server = createServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${INTERNAL_TOKEN}`) {
      response.writeHead(401).end();
      return;
    }
    if (request.method === 'GET' && request.url === '/v1/status') {
      bytes += 5000;
      const status: TurnNodeStatus = {
        nodeId: 'turn-a',
        version: '0.1.0',
        startedAtMs: 1,
        listeners: [{ transport: 'udp', address: '127.0.0.1', port: 3478 }],
        totals: { allocations: 2, bytesToPeers: bytes, bytesFromPeers: bytes * 2, packetsDropped: 0 },
        allocations: [
          alloc('a1', 'alice', 'room-1', 700, 300),
          alloc('a2', 'bob', 'room-1', 50, 50),
        ],
      };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(status));
      return;
    }
    if (request.method === 'POST' && request.url === '/v1/revocations') {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        revocations.push(JSON.parse(body) as TurnRevocation);
        response.writeHead(204).end();
      });
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    statusUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/status`,
    revocations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function alloc(id: string, userId: string, room: string, toPeers: number, fromPeers: number): TurnNodeStatus['allocations'][number] {
  return {
    id,
    userId,
    room,
    transport: 'udp',
    clientAddress: '127.0.0.1:5000',
    relayedAddresses: ['127.0.0.2:50000'],
    bytesToPeers: toPeers,
    bytesFromPeers: fromPeers,
    permissions: 1,
    channels: 1,
    createdAtMs: 1,
    expiresAtMs: 2,
  };
}

describe('admin API', () => {
  let t: TestServer;
  let turnNode: Awaited<ReturnType<typeof fakeTurnNode>>;

  beforeAll(async () => {
    turnNode = await fakeTurnNode();
    t = await startTestServer({
      config: {
        turn: { secrets: ['admin-test-turn-secret'], urls: ['turn:127.0.0.1:3478'], nodes: [turnNode.statusUrl, 'http://127.0.0.1:9/v1/status'], internalToken: INTERNAL_TOKEN },
        admin: { eventsOverviewIntervalSeconds: 1 },
      },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await turnNode?.close();
  });

  it('says who the admin is', async () => {
    const response = await t.admin<WhoAmI>('GET', '/v1/admin/whoami');
    expect(WhoAmI.parse(response.body)).toMatchObject({ userId: 'test-admin', admin: true });
  });

  it('lists rooms with search, sorting and paging', async () => {
    await t.joinAs('l1', 'list-alpha');
    await t.joinAs('l2', 'list-beta');
    await t.joinAs('l3', 'list-beta');
    await t.joinAs('l4', 'list-gamma');
    await t.joinAs('l5', 'list-gamma');
    await t.joinAs('l6', 'list-gamma');
    await t.joinAs('o1', 'other');
    const list = async (query: string) => ListRoomsResponse.parse((await t.admin('GET', `/v1/admin/rooms?${query}`)).body);

    const byPeers = await list('q=LIST-&sort=peers&order=desc');
    expect(byPeers.total).toBe(3);
    expect(byPeers.rooms.map((room) => [room.name, room.peerCount])).toEqual([
      ['list-gamma', 3],
      ['list-beta', 2],
      ['list-alpha', 1],
    ]);
    expect((await list('q=list-&sort=name&order=asc')).rooms.map((room) => room.name)).toEqual(['list-alpha', 'list-beta', 'list-gamma']);
    const page = await list('q=list-&sort=name&order=asc&offset=1&limit=1');
    expect(page).toMatchObject({ total: 3, offset: 1, limit: 1 });
    expect(page.rooms.map((room) => room.name)).toEqual(['list-beta']);
    expect((await list('q=list-&sort=createdAt&order=desc')).rooms[0]!.name).toBe('list-gamma');
    expect((await list('')).total).toBeGreaterThanOrEqual(4);

    for (const bad of ['sort=size', 'limit=0', 'limit=501', 'order=up', 'unknown=1']) {
      const response = await t.admin('GET', `/v1/admin/rooms?${bad}`);
      expect(response.status, bad).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    }
  });

  it('shows a room with its peers, state and per-peer quality from their stats', async () => {
    const alice = await t.joinAs('alice', 'detail', { name: 'Alice' });
    const bob = await t.joinAs('bob', 'detail');
    await alice.client.request({ type: 'room.state.set', room: 'detail', key: 'topic', value: 'quality' });
    await alice.client.request({
      type: 'stats',
      room: 'detail',
      report: { connections: [{ remotePeerId: bob.session.peerId, path: 'relay', relayProtocol: 'tcp', rttMs: 120, lossRatio: 0.01, jitterMs: 3 }] },
    });
    await bob.client.request({ type: 'stats', room: 'detail', report: { connections: [{ remotePeerId: alice.session.peerId, path: 'direct', rttMs: 400 }] } });

    const detail = RoomDetail.parse((await t.admin('GET', '/v1/admin/rooms/detail')).body);
    expect(detail).toMatchObject({ name: 'detail', peerCount: 2, relayedPeerCount: 1, state: { topic: 'quality' }, closesAtMs: null, quality: { good: 1, poor: 1, fair: 0, unknown: 0 } });
    expect(detail.options).toEqual({ emptyTimeoutSeconds: 300, departureTimeoutSeconds: 20, maxDurationSeconds: null });
    const [first, second] = detail.peers;
    expect(first).toMatchObject({ peerId: alice.session.peerId, userId: 'alice', nodeId: t.server.nodeId, meta: { name: 'Alice' }, connected: true });
    expect(first!.quality).toMatchObject({ grade: 'good', path: 'relay', relayProtocol: 'tcp', rttMs: 120, lossRatio: 0.01, jitterMs: 3 });
    expect(second!.quality).toMatchObject({ grade: 'poor', path: 'direct', rttMs: 400 });

    expect((await t.admin('GET', '/v1/admin/rooms/no-such-room')).body).toEqual({ error: { code: 'ROOM_NOT_FOUND' } });
  });

  it('creates rooms with options and refuses invalid bodies', async () => {
    const created = await t.admin('POST', '/v1/admin/rooms', { name: 'created', maxPeers: 4, departureTimeoutSeconds: 5, metadata: { topic: 'x' } });
    expect(created.status).toBe(201);
    expect(RoomDetail.parse(created.body)).toMatchObject({ name: 'created', maxPeers: 4, peerCount: 0, metadata: { topic: 'x' }, options: { departureTimeoutSeconds: 5 } });
    for (const body of [{ name: '../x' }, { name: 'ok', maxPeers: 0 }, { name: 'ok', surprise: true }, {}]) {
      const response = await t.admin('POST', '/v1/admin/rooms', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const raw = await fetch(`${t.server.url}/v1/admin/rooms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await t.server.mintToken({ userId: 'root', admin: true })}` },
      body: '{nope',
    });
    expect(raw.status).toBe(400);
  });

  it('kicks a peer: its connection closes with 4440 KICKED, the room hears kicked, and TURN nodes get a revocation', async () => {
    const victim = await t.joinAs('victim', 'kick-room');
    const witness = await t.joinAs('witness', 'kick-room');
    const kicked = await t.admin('DELETE', `/v1/admin/rooms/kick-room/peers/${victim.session.peerId}`);
    expect(kicked.status).toBe(204);
    expect(await victim.client.closed).toEqual({ code: 4440, reason: 'KICKED' });
    expect(await witness.client.nextOf('peer.left')).toEqual({ type: 'peer.left', room: 'kick-room', peerId: victim.session.peerId, reason: 'kicked' });
    await waitFor(() => turnNode.revocations.length > 0, { what: 'a revocation at the TURN node' });
    expect(turnNode.revocations[0]).toMatchObject({ username: victim.session.iceServers[0]!.username });
    expect((await t.admin('DELETE', `/v1/admin/rooms/kick-room/peers/${victim.session.peerId}`)).body).toEqual({ error: { code: 'PEER_NOT_FOUND' } });
    expect((await t.admin('DELETE', '/v1/admin/rooms/nowhere/peers/p_x')).body).toEqual({ error: { code: 'ROOM_NOT_FOUND' } });
  });

  it('shows the TURN nodes it polls, healthy or not, with allocations and top users and rooms', async () => {
    await t.server.pollTurnNodes();
    await t.server.pollTurnNodes();
    const turn = TurnResponse.parse((await t.admin('GET', '/v1/admin/turn')).body);
    const [healthy, dead] = turn.nodes;
    expect(healthy).toMatchObject({ nodeId: 'turn-a', healthy: true, allocations: 2, version: '0.1.0' });
    expect(healthy!.relayBytesToPeersPerSecond).toBeGreaterThan(0);
    expect(dead).toMatchObject({ statusUrl: 'http://127.0.0.1:9/v1/status', healthy: false, lastSeenMs: null, allocations: 0 });
    expect(dead!.error).toBeTruthy();
    expect(turn.allocations.map((allocation) => [allocation.id, allocation.nodeId])).toEqual([
      ['a1', 'turn-a'],
      ['a2', 'turn-a'],
    ]);
    expect(turn.topUsers).toEqual([
      { key: 'alice', relayBytes: 1000, allocations: 1 },
      { key: 'bob', relayBytes: 100, allocations: 1 },
    ]);
    expect(turn.topRooms).toEqual([{ key: 'room-1', relayBytes: 1100, allocations: 2 }]);
  });

  it('gives an overview, the node list and an in-memory history', async () => {
    const overview = Overview.parse((await t.admin('GET', '/v1/admin/overview')).body);
    expect(overview.nodeId).toBe(t.server.nodeId);
    expect(overview.peers).toBeGreaterThan(0);
    expect(overview.rooms).toBeGreaterThan(0);
    expect(overview.turn).toMatchObject({ nodes: 1, allocations: 2 });
    expect(overview.messagesPerSecond).toBeGreaterThanOrEqual(0);
    const nodes = NodesResponse.parse((await t.admin('GET', '/v1/admin/nodes')).body);
    expect(nodes.nodes).toEqual([expect.objectContaining({ nodeId: t.server.nodeId, ready: true, draining: false, uwsNative: true })]);
    const history = HistoryResponse.parse((await t.admin('GET', '/v1/admin/history')).body);
    expect(history.intervalSeconds).toBe(10);
    expect(history.points.length).toBeGreaterThanOrEqual(1);
  });

  it('streams lifecycle events and overviews as server-sent events', async () => {
    const token = await t.server.mintToken({ userId: 'watcher', admin: true });
    const controller = new AbortController();
    const response = await fetch(`${t.server.url}/v1/admin/events?access_token=${token}`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events: AdminEvent[] = [];
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) events.push(AdminEvent.parse(JSON.parse(data.slice(6))));
        }
      }
    })().catch(() => undefined);

    await waitFor(() => events.some((event) => event.type === 'overview'), { what: 'first overview' });
    const peer = await t.joinAs('streamed', 'sse-room');
    await peer.client.request({ type: 'room.leave', room: 'sse-room' });
    await waitFor(() => events.some((event) => event.type === 'peer.left' && event.room === 'sse-room'), { what: 'peer.left event' });
    const lifecycle = events.filter((event) => event.type !== 'overview' && 'room' in event && event.room === 'sse-room');
    expect(lifecycle.map((event) => event.type)).toEqual(['room.started', 'peer.joined', 'peer.left']);
    expect(lifecycle[1]).toMatchObject({ peerId: peer.session.peerId, userId: 'streamed' });
    await waitFor(() => events.filter((event) => event.type === 'overview').length >= 2, { what: 'periodic overview' });
    controller.abort();
    await pump;
  });

  it('serves its OpenAPI document and answers unknown routes and wrong methods with stable codes', async () => {
    const openapi = (await (await fetch(`${t.server.url}/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toContain('/v1/admin/rooms/{room}/peers/{peerId}');
    const missing = await fetch(`${t.server.url}/v1/nothing-here`);
    expect([missing.status, await missing.json()]).toEqual([404, { error: { code: 'NOT_FOUND' } }]);
    const wrongMethod = await fetch(`${t.server.url}/v1/admin/whoami`, { method: 'PUT' });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toEqual({ error: { code: 'METHOD_NOT_ALLOWED' } });
    expect(wrongMethod.headers.get('allow')).toBe('GET, OPTIONS');
    const health = await fetch(`${t.server.url}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', nodeId: t.server.nodeId });
  });
});
