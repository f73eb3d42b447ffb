import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createRootLogger } from '@parley/runtime';
import { startSignalServer, type SignalServer, type StartSignalServerOptions } from '@parley/server';
import { launchChromium, type LaunchedChromium } from '@parley/test-support';
import { startTurnServer, type TurnServer } from '@parley/turn';
import { spawnDashboard, type DashboardProcess } from './dashboard-process';
import { startTcpLink, type TcpLink } from './tcp-proxy';

/**
 * A whole deployment on loopback for the browser tests: a real TURN relay, a real signal server
 * polling it (fast history, overview events and polls so tests see change within seconds), the
 * built dashboard as its own process reaching the signal server through a TCP link the tests can
 * cut, and headless Chromium.
 */
export interface Stack {
  turn: TurnServer;
  signal: SignalServer;
  dashboard: DashboardProcess;
  chromium: LaunchedChromium;
  /** Parsed log lines of the signal server (audit lines among them). */
  signalLogs: Record<string, unknown>[];
  /** The signal server's HS256 secret, to craft tokens it must refuse (expired, wrong claims). */
  jwtSecret: string;
  /** The TCP link the dashboard reaches the signal server through: cut it to make the server unreachable. */
  signalLink: TcpLink;
  stop(): Promise<void>;
}

export async function startStack(options: { dashboardEnv?: Record<string, string> } = {}): Promise<Stack> {
  const turnSecret = randomBytes(24).toString('base64url');
  const internalToken = randomBytes(24).toString('base64url');
  const jwtSecret = randomBytes(32).toString('base64url');
  const turn = await startTurnServer({
    config: {
      listen: { hosts: ['127.0.0.1'], udpPort: 0, tcpPort: 0 },
      http: { host: '127.0.0.1', port: 0, internalToken },
      auth: { secrets: [turnSecret] },
      // The test's peers are all on loopback, which the relay denies by default.
      policy: { allowPeers: ['127.0.0.0/8'] },
      log: { level: 'silent' },
    },
  });
  const signalLogs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() !== '') signalLogs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const signalOptions: StartSignalServerOptions = {
    logger: createRootLogger({ name: 'signal', level: 'info', destination }),
    config: {
      node: { id: 'signal-test' },
      http: { host: '127.0.0.1', port: 0, staticDir: '/nonexistent' },
      auth: { hs256Secrets: [jwtSecret] },
      turn: { secrets: [turnSecret], urls: turn.urls.filter((url) => url.includes('transport=udp')), nodes: [turn.statusUrl], internalToken, pollIntervalSeconds: 1 },
      admin: { historyIntervalSeconds: 1, eventsOverviewIntervalSeconds: 1 },
    },
  };
  const signal = await startSignalServer(signalOptions);
  const signalLink = await startTcpLink(signal.port);
  const dashboard = await spawnDashboard({ signalUrl: signalLink.url, env: options.dashboardEnv });
  const chromium = await launchChromium();
  const stack: Stack = {
    turn,
    signal,
    signalLink,
    dashboard,
    chromium,
    signalLogs,
    jwtSecret,
    async stop() {
      await chromium.close();
      await dashboard.stop();
      await signalLink.stop();
      await signal.stop();
      await turn.stop();
    },
  };
  return stack;
}
