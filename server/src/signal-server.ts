import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRootLogger, deepFreeze, redactConfig, type Logger } from '@parley/runtime';
import { AdminService, adminRoutes, buildOpenApiDocument, HistoryRecorder, RateMeter, TurnPoller } from './admin/index.js';
import { createTokenMinter, createTokenVerifier, createTurnIssuer, type MintTokenOptions } from './auth/index.js';
import { LocalCluster } from './cluster/index.js';
import { loadSignalConfig, SignalConfigSchema, type SignalConfig, type SignalConfigInput } from './config/index.js';
import { devTokenRoute, staticFiles, systemRoutes, turnCredentialsRoute, type Route } from './http/index.js';
import { componentLogger, SignalMetrics } from './observability/index.js';
import { SessionManager } from './session/index.js';
import { systemClock, type Clock, type TimerHandle } from './time/index.js';
import { assertNativeUws, listen, UWS_NATIVE } from './transport/index.js';
import { SERVER_VERSION } from './version.js';
import { WebhookDispatcher } from './webhooks/index.js';
import { ERRORS, WS_PATH } from '@parley/protocol';

export interface StartSignalServerOptions {
  /** Any subset of the configuration; the rest takes defaults (and env, when `env` is given). */
  config?: SignalConfigInput;
  /** Root logger; default: a pino logger at `log.level`. */
  logger?: Logger;
  /** Time source for every timeout, bucket and token check; default: the system clock. */
  clock?: Clock;
  /** Environment to read PARLEY_SIGNAL_* settings from (main.ts passes process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** A .json/.yaml config file. */
  configFile?: string;
}

export interface SignalServer {
  readonly nodeId: string;
  readonly port: number;
  /** `http://127.0.0.1:PORT` (or the configured host). */
  readonly url: string;
  /** `ws://127.0.0.1:PORT/v1/ws`. */
  readonly wsUrl: string;
  /** The frozen effective configuration. */
  readonly config: Readonly<SignalConfig>;
  readonly version: string;
  /** True while /readyz says ready. */
  readonly ready: boolean;
  /** Mints an HS256 access token with the first configured secret. */
  mintToken(options: MintTokenOptions): Promise<string>;
  /** Drains: /readyz false, peers told to reconnect, new sessions and joins refused; resolves when empty or at the deadline. */
  drain(): Promise<void>;
  /** Stops now: every session ends, sockets close, timers stop. Idempotent. */
  stop(): Promise<void>;
  /** Polls the TURN nodes now (the admin TURN view otherwise refreshes every pollIntervalSeconds). */
  pollTurnNodes(): Promise<void>;
}

const HEARTBEAT_MS = 5000;

/** The web client's build output inside this installation, served at `/` by default. */
function defaultStaticDir(): string {
  const candidate = fileURLToPath(new URL('../../web/dist', import.meta.url));
  return existsSync(candidate) ? candidate : '';
}

function publicHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts a signal server: the composition of config, auth, cluster, sessions, admin API,
 * webhooks and the uWS listener. Used by `parley signal` (main.ts), `parley up`, the tests and
 * the benchmark.
 */
export async function startSignalServer(options: StartSignalServerOptions = {}): Promise<SignalServer> {
  let config = loadSignalConfig({ env: options.env, configFile: options.configFile, overrides: options.config });
  const nodeId = config.node.id || `signal-${randomBytes(4).toString('hex')}`;
  const logger = options.logger ?? createRootLogger({ name: 'signal', level: config.log.level, base: { nodeId } });
  const clock = options.clock ?? systemClock;
  assertNativeUws();

  if (config.auth.hs256Secrets.length === 0 && config.auth.hs256Keys.length === 0 && config.auth.publicKeys.length === 0 && !config.auth.jwksUrl) {
    config = deepFreeze({ ...config, auth: { ...config.auth, hs256Secrets: [randomBytes(32).toString('base64url')] } });
    logger.warn('no auth keys configured: generated an ephemeral HS256 secret (tokens die with this process)');
  }
  if (!config.http.staticDir) config = deepFreeze({ ...config, http: { ...config.http, staticDir: defaultStaticDir() } });
  logger.info({ config: redactConfig(SignalConfigSchema, config) }, 'effective config');

  const metrics = new SignalMetrics({ nodeId, version: SERVER_VERSION, uwsNative: UWS_NATIVE, defaultMetrics: config.metrics.defaultMetrics });
  const cluster = new LocalCluster({
    nodeId,
    clock,
    roomDefaults: config.rooms,
    stateLimits: { maxKeys: config.limits.maxStateKeys, maxBytes: config.limits.maxStateBytes },
  });
  const verifier = await createTokenVerifier(config.auth, clock);
  const minter = createTokenMinter(config.auth, clock);
  const turn = createTurnIssuer(config.turn, clock);
  const sessions = new SessionManager({ config, clock, cluster, metrics, turn, logger: componentLogger(logger, 'session') });
  const webhooks = new WebhookDispatcher(config.webhooks, nodeId, clock, metrics, componentLogger(logger, 'webhooks'));
  const turnPoller = new TurnPoller(config.turn.nodes, config.turn.internalToken, config.turn.pollIntervalSeconds, clock, componentLogger(logger, 'turn-poller'));
  const messages = new RateMeter(clock, () => metrics.receivedTotal());
  const admin = new AdminService({ nodeId, clock, cluster, sessions, messages, turn: turnPoller });
  const history = new HistoryRecorder(clock, config.admin.historyIntervalSeconds, config.admin.historyPoints, () => admin.historySample());

  cluster.subscribe((event) => {
    if (event.type === 'room.started') metrics.roomsCreated.inc();
    if (event.type === 'room.finished') metrics.roomsClosed.labels(event.reason).inc();
  });
  if (webhooks.enabled) cluster.subscribe((event) => webhooks.onClusterEvent(event));

  let draining = false;
  let stopped = false;
  let listening = false;
  const openApi = JSON.stringify(buildOpenApiDocument(SERVER_VERSION), null, 2);
  const routes: Route[] = [
    ...systemRoutes({ nodeId, version: SERVER_VERSION, isReady: () => listening && !draining && !stopped, isDraining: () => draining }, metrics),
    turnCredentialsRoute(verifier, turn, metrics),
    ...adminRoutes({
      verifier,
      metrics,
      admin,
      history,
      cluster,
      clock,
      overviewIntervalSeconds: config.admin.eventsOverviewIntervalSeconds,
      auditLogger: componentLogger(logger, 'admin'),
    }),
    { method: 'GET', pattern: '/v1/openapi.json', group: 'docs', handler: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: openApi }) },
  ];
  if (config.dev.tokenEndpoint && minter) {
    routes.push(devTokenRoute(minter));
    logger.warn('DEV TOKEN ENDPOINT ENABLED: anyone who can reach POST /v1/dev/token can mint tokens; never enable this in production');
  }

  const listener = await listen({
    config,
    routes,
    staticFallback: config.http.staticDir ? staticFiles(config.http.staticDir) : undefined,
    verifier,
    sessions,
    metrics,
    logger: componentLogger(logger, 'transport'),
  });
  listening = true;

  metrics.setSources({
    connections: () => listener.connectionCount,
    sessions: () => sessions.counts(),
    rooms: () => admin.roomGauges(),
    ready: () => listening && !draining && !stopped,
    draining: () => draining,
  });

  const address = `${publicHost(config.http.host)}:${listener.port}`;
  const startedAtMs = clock.now();
  let heartbeatTimer: TimerHandle | undefined;
  const heartbeat = () => {
    void cluster.heartbeat({
      address,
      version: SERVER_VERSION,
      startedAtMs,
      ready: listening && !draining && !stopped,
      draining,
      uwsNative: UWS_NATIVE,
      peers: sessions.size,
    });
    heartbeatTimer = clock.setTimer(HEARTBEAT_MS, heartbeat);
  };
  heartbeat();
  messages.start();
  history.start();
  turnPoller.start();
  logger.info({ port: listener.port, host: config.http.host, staticDir: config.http.staticDir || null }, 'signal server listening');

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    heartbeatTimer?.cancel();
    messages.stop();
    history.stop();
    turnPoller.stop();
    sessions.endAll('shutdown');
    await cluster.stop();
    listener.close(ERRORS.DRAINING.wsCloseCode, 'DRAINING');
    webhooks.stop();
    logger.info('signal server stopped');
  };

  let drained: Promise<void> | undefined;
  const drain = () => {
    drained ??= (async () => {
      draining = true;
      heartbeat();
      logger.info({ sessions: sessions.size, deadlineSeconds: config.drain.deadlineSeconds }, 'draining');
      sessions.startDrain();
      const emptied = await sessions.waitUntilEmpty(config.drain.deadlineSeconds * 1000);
      logger.info({ emptied, remaining: sessions.size }, 'drain finished');
    })();
    return drained;
  };

  const frozenConfig = config;
  return {
    nodeId,
    port: listener.port,
    url: `http://${address}`,
    wsUrl: `ws://${address}${WS_PATH}`,
    config: frozenConfig,
    version: SERVER_VERSION,
    get ready() {
      return listening && !draining && !stopped;
    },
    async mintToken(mintOptions) {
      if (!minter) throw new Error('no HS256 secret is configured, so this server cannot mint tokens');
      return (await minter(mintOptions)).token;
    },
    drain,
    stop,
    pollTurnNodes: () => turnPoller.pollAll(),
  };
}
