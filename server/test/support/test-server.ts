import type { ServerMessageOf } from '@parley/protocol';
import { pino } from 'pino';
import { startSignalServer, type MintTokenOptions, type SignalServer, type StartSignalServerOptions } from '../../src/index.js';
import { TestClient } from './test-client.js';

export interface TestServer {
  server: SignalServer;
  /** Mints a token and opens a connection with it; waits for the `session` message. */
  connect(token: MintTokenOptions | string, query?: Record<string, string>): Promise<{ client: TestClient; session: ServerMessageOf<'session'> }>;
  /** Connects a user with create+join rights on `room` and joins it. */
  joinAs(userId: string, room: string, meta?: Record<string, unknown>): Promise<{ client: TestClient; session: ServerMessageOf<'session'>; joined: ServerMessageOf<'room.joined'> }>;
  /** GET/POST/DELETE on the REST API with an admin token; returns status and parsed JSON (if any). */
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** Loopback, any free port, no logs, fast limits unless a test says otherwise. */
export async function startTestServer(options: StartSignalServerOptions = {}): Promise<TestServer> {
  const clients: TestClient[] = [];
  const server = await startSignalServer({
    logger: pino({ level: 'silent' }),
    ...options,
    config: { ...options.config, http: { host: '127.0.0.1', port: 0, staticDir: '/nonexistent', ...options.config?.http } },
  });
  const connect: TestServer['connect'] = async (token, query = {}) => {
    const jwt = typeof token === 'string' ? token : await server.mintToken(token);
    const params = new URLSearchParams({ access_token: jwt, ...query });
    const client = await TestClient.connect(`${server.wsUrl}?${params}`);
    clients.push(client);
    const session = await client.nextOf('session');
    return { client, session };
  };
  let adminToken: string | undefined;
  return {
    server,
    connect,
    async admin(method, path, body) {
      adminToken ??= await server.mintToken({ userId: 'test-admin', admin: true, ttlSeconds: 30 * 86_400 });
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    async joinAs(userId, room, meta) {
      const { client, session } = await connect({ userId, rooms: [room], create: true });
      const joined = await client.request<ServerMessageOf<'room.joined'>>(meta ? { type: 'room.join', room, meta } : { type: 'room.join', room });
      if (joined.type !== 'room.joined') throw new Error(`join failed: ${JSON.stringify(joined)}`);
      return { client, session, joined };
    },
    async stop() {
      for (const client of clients) if (!client.isClosed) client.ws.terminate();
      await server.stop();
    },
  };
}
