import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminApi } from './client';
import { AdminApiError } from './errors';

/**
 * The data layer's error mapping against a real HTTP listener on loopback that answers the way a
 * signal server can fail. (The pages themselves are tested against the real signal server in
 * dashboard/test/.)
 */
type Route = (req: IncomingMessage, res: ServerResponse) => void;

const routes = new Map<string, Route>();
const seen: { method: string; url: string; authorization: string | undefined; body: string }[] = [];
let server: Server;
let baseUrl: string;

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      const route = routes.get(`${req.method} ${req.url!.split('?')[0]}`);
      if (route) route(req, res);
      else json(res, 404, { error: { code: 'NOT_FOUND' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function api(token = 'admin-token', requestTimeoutMs = 2000) {
  return new AdminApi({ baseUrl: `${baseUrl}/`, token, requestTimeoutMs });
}

async function failureOf(promise: Promise<unknown>): Promise<AdminApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AdminApiError);
  return error as AdminApiError;
}

const overview = {
  nodeId: 'n1',
  timeMs: 1,
  peers: 2,
  rooms: 1,
  messagesPerSecond: 0.5,
  turn: { nodes: 1, allocations: 0, relayBytesToPeersPerSecond: 0, relayBytesFromPeersPerSecond: 0 },
  quality: { good: 2, fair: 0, poor: 0, unknown: 0 },
};

describe('admin API client', () => {
  it('sends the token as Bearer and returns the validated answer', async () => {
    routes.set('GET /v1/admin/overview', (_req, res) => json(res, 200, overview));
    await expect(api().overview()).resolves.toEqual(overview);
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/v1/admin/overview', authorization: 'Bearer admin-token' });
  });

  it('puts list queries in the URL and encodes room and peer names in paths', async () => {
    routes.set('GET /v1/admin/rooms', (_req, res) => json(res, 200, { total: 0, offset: 0, limit: 25, rooms: [] }));
    await api().listRooms({ q: 'a b', sort: 'peers', order: 'asc', offset: 0, limit: 25 });
    expect(seen.at(-1)!.url).toBe('/v1/admin/rooms?q=a+b&sort=peers&order=asc&offset=0&limit=25');
    routes.set('DELETE /v1/admin/rooms/x%3A1/peers/p_1', (_req, res) => res.writeHead(204).end());
    await api().kickPeer('x:1', 'p_1');
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/v1/admin/rooms/x%3A1/peers/p_1' });
  });

  it('sends create requests as JSON', async () => {
    routes.set('POST /v1/admin/rooms', (_req, res) => json(res, 201, {}));
    await api().createRoom({ name: 'standup' as never, maxPeers: 4 });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ name: 'standup', maxPeers: 4 });
  });

  it('maps 401 with a token code to an unauthorized failure carrying that code', async () => {
    routes.set('GET /v1/admin/whoami', (_req, res) => json(res, 401, { error: { code: 'TOKEN_EXPIRED' } }));
    const failure = await failureOf(api().whoami());
    expect(failure).toMatchObject({ kind: 'unauthorized', code: 'TOKEN_EXPIRED', status: 401 });
  });

  it('treats a token without the admin grant (403) as unauthorized', async () => {
    routes.set('GET /v1/admin/nodes', (_req, res) => json(res, 403, { error: { code: 'FORBIDDEN' } }));
    expect(await failureOf(api().nodes())).toMatchObject({ kind: 'unauthorized', code: 'FORBIDDEN' });
  });

  it('maps 404 to not-found with the server code', async () => {
    routes.set('GET /v1/admin/rooms/gone', (_req, res) => json(res, 404, { error: { code: 'ROOM_NOT_FOUND' } }));
    expect(await failureOf(api().room('gone'))).toMatchObject({ kind: 'not-found', code: 'ROOM_NOT_FOUND', status: 404 });
  });

  it('maps other error answers to refused with the server code', async () => {
    routes.set('POST /v1/admin/rooms', (_req, res) => json(res, 409, { error: { code: 'ROOM_EXISTS' } }));
    expect(await failureOf(api().createRoom({ name: 'dup' as never }))).toMatchObject({ kind: 'refused', code: 'ROOM_EXISTS', status: 409 });
  });

  it('falls back to a code from the status when the error body is not ours', async () => {
    routes.set('GET /v1/admin/turn', (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad gateway</h1>');
    });
    expect(await failureOf(api().turn())).toMatchObject({ kind: 'unreachable', code: 'INTERNAL', status: 502 });
  });

  it('refuses an answer that does not match the protocol', async () => {
    routes.set('GET /v1/admin/history', (_req, res) => json(res, 200, { intervalSeconds: 'ten', points: [] }));
    expect(await failureOf(api().history())).toMatchObject({ kind: 'invalid-response', code: 'INVALID_RESPONSE' });
    routes.set('GET /v1/admin/history', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"trunc'));
    expect(await failureOf(api().history())).toMatchObject({ kind: 'invalid-response', code: 'INVALID_RESPONSE' });
  });

  it('reports a server that does not answer in time as unreachable (timeout)', async () => {
    routes.set('GET /v1/admin/overview', () => {
      // Never answers.
    });
    expect(await failureOf(api('admin-token', 300).overview())).toMatchObject({ kind: 'unreachable', code: 'SIGNAL_TIMEOUT', status: 0 });
  });

  it('reports a closed port as unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await failureOf(new AdminApi({ baseUrl: `http://127.0.0.1:${port}`, token: 't', requestTimeoutMs: 2000 }).overview());
    expect(failure).toMatchObject({ kind: 'unreachable', code: 'SIGNAL_UNREACHABLE', status: 0 });
  });

  it('opens the event stream and hands back its body', async () => {
    routes.set('GET /v1/admin/events', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify({ type: 'room.started', timeMs: 1, room: 'r' })}\n\n`);
    });
    const response = await api().openEvents(AbortSignal.timeout(2000));
    expect(await response.text()).toContain('room.started');
    routes.set('GET /v1/admin/events', (_req, res) => json(res, 401, { error: { code: 'TOKEN_BAD_SIGNATURE' } }));
    expect(await failureOf(api().openEvents(AbortSignal.timeout(2000)))).toMatchObject({ kind: 'unauthorized', code: 'TOKEN_BAD_SIGNATURE' });
  });
});
