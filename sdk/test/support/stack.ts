import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startSignalServer, type MintTokenOptions, type SignalConfigInput, type SignalServer } from '@parley/server';
import { writeHarness } from './harness.js';
import { startTestRelay, type TestRelay } from './relay.js';

/**
 * Parley's own signal server and TURN relay, wired together the way `parley up` does (shared
 * REST secret, the relay's URLs handed to clients), on loopback ports chosen by the OS. The signal
 * server serves `staticDir` at `/`, so test pages share its origin.
 */
export interface TestStack {
  signal: SignalServer;
  relay: TestRelay;
  /** Mints an access token (create + join on the named rooms by default). */
  token(userId: string, options?: Partial<MintTokenOptions>): Promise<string>;
  /** Calls the admin API with an admin token; returns status and parsed body. */
  admin<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** What the signal server serves at `/`; by default a temporary directory with the SDK harness page (removed by stop()). */
  staticDir?: string;
  /** Which TURN transport clients are told about (relay-only tests pin one). */
  turnTransport?: 'udp' | 'tcp';
  /** Point clients at these TURN URLs instead of the relay's (e.g. an unreachable one). */
  turnUrls?: string[];
  signal?: SignalConfigInput;
}

export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const harnessDir = options.staticDir === undefined ? mkdtempSync(join(tmpdir(), 'parley-e2e-')) : undefined;
  if (harnessDir) await writeHarness(harnessDir);
  const staticDir = options.staticDir ?? harnessDir!;
  const relay = await startTestRelay();
  const transport = options.turnTransport ?? 'udp';
  const relayUrls = relay.turn.urls.filter((url) => url.startsWith('turn:') && url.endsWith(`transport=${transport}`));
  const internalToken = relay.turn.config.http.internalToken;
  const signal = await startSignalServer({
    logger: pino({ level: 'silent' }),
    config: {
      ...options.signal,
      http: { host: '127.0.0.1', port: 0, staticDir, ...options.signal?.http },
      auth: { hs256Secrets: [randomBytes(32).toString('hex')], ...options.signal?.auth },
      turn: {
        secrets: [relay.secret],
        urls: options.turnUrls ?? relayUrls,
        nodes: [relay.turn.statusUrl],
        internalToken,
        pollIntervalSeconds: 1,
        ...options.signal?.turn,
      },
      dev: { tokenEndpoint: true, ...options.signal?.dev },
    },
  });
  const adminToken = await signal.mintToken({ userId: 'test-admin', admin: true, rooms: ['*'] });
  return {
    signal,
    relay,
    token: (userId, grants = {}) => signal.mintToken({ userId, rooms: ['*'], create: true, direct: true, ...grants }),
    async admin(method, path, body) {
      const response = await fetch(new URL(path, signal.url), {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    async stop() {
      await signal.stop();
      await relay.stop();
      if (harnessDir) rmSync(harnessDir, { recursive: true, force: true });
    },
  };
}
