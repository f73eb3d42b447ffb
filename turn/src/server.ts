import { readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { TurnRevocation, type TurnNodeStatus } from '@parley/protocol';
import { createRootLogger, loadConfig, redactConfig, type Logger } from '@parley/runtime';
import type { Allocation } from './allocation/allocation.js';
import { allocationIdSource } from './allocation/allocation-ids.js';
import { AllocationTable } from './allocation/allocation-table.js';
import { PeerPolicy } from './allocation/peer-policy.js';
import { ByteBucket } from './allocation/quotas.js';
import { Authenticator } from './auth/authenticator.js';
import { RevocationList } from './auth/revocations.js';
import { TURN_ENV_PREFIX, TurnConfigSchema, type TurnConfig, type TurnConfigInput } from './config.js';
import { endAllocation, type AllocationEndReason, type ControlEvents, type HandlerContext } from './handlers/context.js';
import { ControlPlane } from './handlers/control-plane.js';
import { expireState } from './handlers/expiry.js';
import { TurnMetrics } from './observability/metrics.js';
import { nodeStatus } from './observability/status.js';
import { DROP_SEND_FAILED } from './relay/counters.js';
import { RelayEngine } from './relay/relay-engine.js';
import { canonicalIp } from './stun/address.js';
import { HttpListener } from './transport/http-server.js';
import { RelayPortPool } from './transport/relay-port-pool.js';
import { StreamListener } from './transport/stream-listener.js';
import { UdpListener } from './transport/udp-listener.js';
import { selectUdpIo } from './transport/udp-io.js';
import type { UdpIoKind } from './transport/datagram-socket.js';
import { TURN_VERSION } from './version.js';

/**
 * Composition of the relay: config → auth, state, control plane, data plane → listeners. Used by
 * `parley turn` (through main.ts) and directly by tests and `parley up`.
 */
export interface StartTurnServerOptions {
  /** Settings over the defaults (the environment is not read here; main.ts passes it in). */
  config?: TurnConfigInput;
  /** Already-loaded config (main.ts); wins over `config`. */
  loadedConfig?: TurnConfig;
  logger?: Logger;
}

export interface TurnServer {
  readonly config: TurnConfig;
  readonly udpPort: number;
  readonly tcpPort: number;
  readonly tlsPort: number | undefined;
  readonly httpPort: number;
  /** How this relay's UDP sockets do their I/O (config udpIo; auto resolves to one of these). */
  readonly udpIo: UdpIoKind;
  /** ICE server URLs of this relay, e.g. turn:127.0.0.1:3478?transport=udp. */
  readonly urls: string[];
  readonly statusUrl: string;
  readonly metricsUrl: string;
  /** The relay's live state, for tests and embedding. */
  status(): TurnNodeStatus;
  stop(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 1000;

function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

/** The first address of a family that is not loopback or link-local, for a wildcard listener with no relay IP set. */
function detectInterfaceAddress(family: 4 | 6): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.internal || address.family !== (family === 4 ? 'IPv4' : 'IPv6')) continue;
      if (family === 6 && address.address.startsWith('fe80')) continue;
      return address.address;
    }
  }
  return undefined;
}

function familyOf(ip: string): 4 | 6 {
  return ip.includes(':') ? 6 : 4;
}

function urlHost(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/** Relay bind addresses per family: relay.ips, else concrete listen hosts, else a detected interface address. */
function relayBindAddresses(config: TurnConfig, logger: Logger): { 4?: string; 6?: string } {
  const chosen: { 4?: string; 6?: string } = {};
  for (const ip of config.relay.ips) {
    const family = familyOf(ip);
    chosen[family] ??= canonicalIp(ip)!;
  }
  if (config.relay.ips.length > 0) return chosen;
  for (const host of config.listen.hosts) {
    const family = familyOf(host);
    if (chosen[family]) continue;
    if (!isWildcard(host)) chosen[family] = canonicalIp(host)!;
    else {
      const detected = detectInterfaceAddress(family);
      if (detected) chosen[family] = detected;
      else if (family === 4) {
        chosen[4] = '127.0.0.1';
        logger.warn({ family }, 'no interface address found for relayed sockets; using loopback, set relay.ips');
      }
    }
  }
  return chosen;
}

export async function startTurnServer(options: StartTurnServerOptions = {}): Promise<TurnServer> {
  const config: TurnConfig = options.loadedConfig ?? loadConfig(TurnConfigSchema, TURN_ENV_PREFIX, { overrides: options.config ?? {} });
  const nodeId = config.nodeId !== '' ? config.nodeId : `${hostname()}-${process.pid}`;
  const rootLogger = options.logger ?? createRootLogger({ name: 'turn', level: config.log.level, base: { nodeId } });
  const logger = rootLogger.child({ component: 'turn' });
  logger.info({ config: redactConfig(TurnConfigSchema, config) }, 'effective configuration');
  if (config.auth.secrets.length === 0) logger.warn('auth.secrets is empty: every Allocate will be refused (401)');
  if (config.policy.allowPeers.length > 0) {
    logger.warn({ allowPeers: config.policy.allowPeers }, 'peer allow list overrides the deny list: clients can relay to these networks (for local demos and tests, never on an exposed relay)');
  }

  const clock = { nowMs: () => Date.now() };
  const startedAtMs = clock.nowMs();
  const revocations = new RevocationList(config.auth.maxRevocations);
  const auth = new Authenticator({
    realm: config.realm,
    secrets: config.auth.secrets,
    nonceLifetimeSeconds: config.auth.nonceLifetimeSeconds,
    expiryPolicy: config.auth.expiryPolicy,
    revocations,
  });
  const allocations = new AllocationTable(config.quotas.userBytesPerSecond);
  const relay = new RelayEngine(
    clock,
    new ByteBucket(config.quotas.totalBytesPerSecond, startedAtMs),
    config.relay.hairpin ? (address, port) => allocations.byRelayedAddress(address, port) : null,
  );
  const bindAddresses = relayBindAddresses(config, logger);
  const { io, fallbackReason } = selectUdpIo(config.udpIo);
  if (fallbackReason !== null) logger.warn({ reason: fallbackReason }, 'batched UDP I/O unavailable: using node:dgram (a system call and a callback per datagram)');
  const pool = new RelayPortPool({
    bindAddresses,
    minPort: config.relay.minPort,
    maxPort: config.relay.maxPort,
    recycledSocketsPerFamily: config.relay.recycledSockets,
    io,
    onSendFailed: (count) => (relay.counters.drops[DROP_SEND_FAILED]! += count),
  });
  const external: { 4?: string; 6?: string } = {
    4: config.externalIp !== '' ? canonicalIp(config.externalIp)! : bindAddresses[4],
    6: config.externalIpv6 !== '' ? canonicalIp(config.externalIpv6)! : bindAddresses[6],
  };

  const udpListeners: UdpListener[] = [];
  const tcpListeners: StreamListener[] = [];
  const tlsListeners: StreamListener[] = [];
  const metrics = new TurnMetrics({
    counters: relay.counters,
    allocations,
    streamConnections: () => ({
      tcp: tcpListeners.reduce((sum, listener) => sum + listener.connections, 0),
      tls: tlsListeners.reduce((sum, listener) => sum + listener.connections, 0),
    }),
    relayPortsInUse: () => pool.portsInUse,
    nowMs: clock.nowMs,
  });
  const allocationLoggers = new WeakMap<Allocation, Logger>();
  const events: ControlEvents = {
    request: (method, code) => metrics.request(method, code),
    authFailure: (reason) => {
      metrics.authFailure(reason);
      logger.debug({ reason }, 'authentication failed');
    },
    allocationCreated: (allocation) => {
      metrics.allocationCreated(allocation.client.transport);
      // A child logger costs (redaction set-up): make one only when lifecycle lines are logged.
      if (!logger.isLevelEnabled('info')) return;
      const child = logger.child({
        allocationId: allocation.id,
        userId: allocation.userId,
        room: allocation.room,
        transport: allocation.client.transport,
        client: `${allocation.client.address}:${allocation.client.port}`,
      });
      allocationLoggers.set(allocation, child);
      child.info({ relayed: allocation.relayedAddresses.map((address) => `${address.address}:${address.port}`), expiresAtMs: allocation.expiresAtMs }, 'allocation created');
    },
    allocationEnded: (allocation, reason: AllocationEndReason) => {
      metrics.allocationEnded(reason);
      (allocationLoggers.get(allocation) ?? logger).info(
        { reason, bytesToPeers: allocation.bytesToPeers, bytesFromPeers: allocation.bytesFromPeers, ageMs: clock.nowMs() - allocation.createdAtMs },
        'allocation ended',
      );
    },
    malformed: (reason) => metrics.malformed.inc({ reason }),
    internalError: (error) => logger.error({ err: error }, 'request handler failed'),
  };
  const context: HandlerContext = {
    config,
    clock,
    auth,
    allocations,
    policy: new PeerPolicy({ allowPeers: config.policy.allowPeers, denyPeers: config.policy.denyPeers }),
    relay,
    relaySockets: pool,
    events,
    advertisedAddress: (family, bindAddress, port) => ({ family, address: external[family] ?? bindAddress, port }),
    newAllocationId: allocationIdSource(),
  };
  const control = new ControlPlane(context);
  const onListenerError = (error: unknown) => logger.error({ err: error }, 'listener error');

  const tls = config.listen.tlsCertFile !== '' ? { cert: readFileSync(config.listen.tlsCertFile), key: readFileSync(config.listen.tlsKeyFile) } : undefined;
  const streamHooks = {
    connectionClosed: (allocation: Allocation) => endAllocation(context, allocation, 'connection_closed'),
    malformedStream: () => metrics.malformed.inc({ reason: 'stream_framing' }),
    onError: onListenerError,
  };
  const streamOptions = {
    maxConnections: config.listen.maxStreamConnections,
    idleTimeoutMs: config.listen.streamIdleTimeoutSeconds * 1000,
    maxBufferedBytes: config.listen.maxStreamBufferBytes,
  };
  for (const host of config.listen.hosts) {
    if (config.listen.udp) udpListeners.push(new UdpListener(host, config.listen.udpPort, io, control, relay, onListenerError));
    if (config.listen.tcp) tcpListeners.push(new StreamListener({ transport: 'tcp', host, port: config.listen.tcpPort, ...streamOptions }, control, relay, streamHooks));
    if (tls) tlsListeners.push(new StreamListener({ transport: 'tls', host, port: config.listen.tlsPort, tls, ...streamOptions }, control, relay, streamHooks));
  }

  const listeners = (): TurnNodeStatus['listeners'] => [
    ...udpListeners.map((listener) => ({ transport: 'udp' as const, address: listener.host, port: listener.port })),
    ...tcpListeners.map((listener) => ({ transport: 'tcp' as const, address: listener.host, port: listener.port })),
    ...tlsListeners.map((listener) => ({ transport: 'tls' as const, address: listener.host, port: listener.port })),
  ];
  const status = () => nodeStatus({ nodeId, version: TURN_VERSION, startedAtMs, listeners: listeners(), allocations, counters: relay.counters, nowMs: clock.nowMs });

  const http = new HttpListener(
    config.http.host,
    config.http.port,
    config.http.internalToken,
    {
      metrics: async () => ({ contentType: metrics.contentType, body: await metrics.text() }),
      health: () => ({ ok: true }),
      status,
      revoke: (body) => {
        const parsed = TurnRevocation.safeParse(body);
        if (!parsed.success || (parsed.data.userId === undefined && parsed.data.username === undefined)) return { ok: false, code: 'INVALID_REQUEST' };
        const nowMs = clock.nowMs();
        if (!revocations.add(parsed.data, nowMs / 1000)) return { ok: false, code: 'RATE_LIMITED' };
        // A revoked credential loses what it holds now, not only what it would ask for next.
        let ended = 0;
        for (const allocation of [...allocations.values()]) {
          if (revocations.isRevoked(allocation.username, allocation.userId, nowMs / 1000)) {
            endAllocation(context, allocation, 'revoked');
            ended++;
          }
        }
        logger.info({ userId: parsed.data.userId, untilSeconds: parsed.data.untilSeconds, allocationsEnded: ended }, 'credentials revoked');
        return { ok: true, result: { allocationsEnded: ended } };
      },
    },
    onListenerError,
  );

  const started: { close(): Promise<void> }[] = [];
  try {
    for (const listener of [...udpListeners, ...tcpListeners, ...tlsListeners]) {
      await listener.listen();
      started.push(listener);
    }
    await http.listen();
    started.push(http);
  } catch (error) {
    await Promise.all(started.map((listener) => listener.close()));
    throw new Error(`turn: could not bind a listener: ${(error as Error).message}`, { cause: error });
  }

  const sweep = setInterval(() => {
    const nowMs = clock.nowMs();
    expireState(context, nowMs);
    revocations.prune(nowMs / 1000);
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  const advertisedHosts = config.listen.hosts.map((host) => (isWildcard(host) ? (external[familyOf(host)] ?? host) : canonicalIp(host)!));
  const urls: string[] = [];
  advertisedHosts.forEach((host, index) => {
    if (udpListeners[index]) urls.push(`turn:${urlHost(host)}:${udpListeners[index].port}?transport=udp`);
    if (tcpListeners[index]) urls.push(`turn:${urlHost(host)}:${tcpListeners[index].port}?transport=tcp`);
    if (tlsListeners[index]) urls.push(`turns:${urlHost(host)}:${tlsListeners[index].port}?transport=tcp`);
  });
  const httpHost = isWildcard(config.http.host) ? '127.0.0.1' : config.http.host;
  const httpBase = `http://${urlHost(httpHost)}:${http.boundPortNumber}`;
  logger.info({ urls, statusUrl: `${httpBase}/v1/status`, relay: bindAddresses, advertised: external, udpIo: io.kind }, 'turn relay listening');

  let stopping: Promise<void> | null = null;
  return {
    config,
    udpPort: udpListeners[0]?.port ?? 0,
    tcpPort: tcpListeners[0]?.port ?? 0,
    tlsPort: tlsListeners[0]?.port,
    httpPort: http.boundPortNumber,
    udpIo: io.kind,
    urls,
    statusUrl: `${httpBase}/v1/status`,
    metricsUrl: `${httpBase}/metrics`,
    status,
    stop() {
      stopping ??= (async () => {
        clearInterval(sweep);
        for (const allocation of [...allocations.values()]) endAllocation(context, allocation, 'shutdown');
        pool.close();
        await Promise.all(started.map((listener) => listener.close()));
        logger.info('turn relay stopped');
      })();
      return stopping;
    },
  };
}
