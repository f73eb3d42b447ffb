import { startSignalServer, type SignalConfigInput } from '@parley/server';
import { startUwsEcho } from './uws-echo.js';
import { startUwsRelay } from './uws-relay.js';
import { startWsBaselineBroker } from './ws-baseline.js';

/**
 * The brokers a signaling benchmark can run, started by name, so one child-process entry
 * (broker-process.ts) can host any of them pinned to a core.
 */
export type BrokerKind = 'parley' | 'ws-baseline' | 'uws-echo' | 'uws-relay';

export interface BrokerOptions {
  /** Parley only: the HS256 secret its tokens are signed with. */
  hs256Secret?: string;
  /** Parley only: TURN REST secret, so the credential API has something to sign with. */
  turnSecret?: string;
  /** Parley only: log level (default warn); debug or trace to investigate a run. */
  logLevel?: 'warn' | 'info' | 'debug' | 'trace';
}

export interface RunningBroker {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startBroker(kind: BrokerKind, options: BrokerOptions): Promise<RunningBroker> {
  switch (kind) {
    case 'ws-baseline':
      return startWsBaselineBroker();
    case 'uws-echo': {
      const echo = await startUwsEcho();
      return { port: echo.port, stop: async () => echo.stop() };
    }
    case 'uws-relay': {
      const relay = await startUwsRelay();
      return { port: relay.port, stop: async () => relay.stop() };
    }
    case 'parley':
      return startParleyForLoad(options);
  }
}

/**
 * Parley as an operator would run it, except for the per-user limits: every load-test user sends
 * far more than a real client, so the buckets are opened wide (they are still evaluated on every
 * message, so their cost is measured) and connection limits allow 10,000 connections from one
 * machine. Logging stays at warn, as in production under load.
 */
export function parleyLoadConfig(options: BrokerOptions): SignalConfigInput {
  if (!options.hs256Secret) throw new Error('the Parley broker needs an HS256 secret for the load-test tokens');
  return {
    log: { level: options.logLevel ?? 'warn' },
    http: { host: '127.0.0.1', port: 0 },
    auth: { hs256Secrets: [options.hs256Secret] },
    limits: {
      messagesPerSecond: 1e6,
      messagesBurst: 1e6,
      bytesPerSecond: 1e9,
      bytesBurst: 1e9,
      joinsPerMinute: 100_000,
      connectionsPerUser: 1_000,
      connectionsPerIp: 1_000_000,
    },
    ws: { idleTimeoutSeconds: 120 },
    ...(options.turnSecret ? { turn: { secrets: [options.turnSecret], urls: ['turn:127.0.0.1:3478?transport=udp'] } } : {}),
  };
}

async function startParleyForLoad(options: BrokerOptions): Promise<RunningBroker> {
  const server = await startSignalServer({ config: parleyLoadConfig(options) });
  return { port: server.port, stop: () => server.stop() };
}
