import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@parley/runtime';
import nextModule from 'next';
import { installDashboardRuntime, uninstallDashboardRuntime, type DashboardRuntime } from '../runtime/dashboard-runtime.js';
import type { DashboardConfig } from './config.js';

export interface StartDashboardOptions {
  config: DashboardConfig;
  logger: Logger;
  /** The dashboard package folder (holds .next/); found from this file by default. */
  dir?: string;
}

export interface RunningDashboard {
  readonly port: number;
  /** Base URL to open, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly config: DashboardConfig;
  /** Stops accepting, ends open event streams, closes Next; idempotent. */
  stop(): Promise<void>;
}

/**
 * next's entry is CommonJS whose module.exports is the factory itself, while its types declare an
 * ES default export; under NodeNext the default import is typed as the namespace. Take whichever
 * is the function.
 */
type CreateNextServer = typeof nextModule.default;
const createNextServer: CreateNextServer =
  typeof nextModule === 'function' ? (nextModule as unknown as CreateNextServer) : nextModule.default;

/** dashboard/ from dashboard/src/process (sources) or dashboard/dist/process (compiled). */
function packageDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

function packageVersion(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

/** The cookie-sealing key: derived from the configured secret, or random for this process. */
function sessionKeyFrom(secret: string): Uint8Array {
  return secret === '' ? randomBytes(32) : createHash('sha256').update(`parley-dashboard-session:${secret}`).digest();
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Runs the built Next.js app under a plain node:http server so it can bind port 0, report the
 * port it got, answer /healthz without rendering, and hand the configuration to the Next server
 * code in this same process (see runtime/dashboard-runtime.ts).
 */
export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  const { config, logger } = options;
  const dir = options.dir ?? packageDir();
  if (!existsSync(join(dir, '.next', 'BUILD_ID'))) {
    throw new Error(`the dashboard is not built (${join(dir, '.next')} is missing); run \`npm run build\` in the repository root`);
  }
  const runtime: DashboardRuntime = Object.freeze({
    config,
    logger,
    sessionKey: sessionKeyFrom(config.session.secret),
    version: packageVersion(dir),
    startedAtMs: Date.now(),
  });
  installDashboardRuntime(runtime);

  // Filled once Next is prepared; until then requests get 503.
  const next: { handle?: (req: IncomingMessage, res: ServerResponse) => Promise<void> } = {};
  const server = createServer((req, res) => {
    // Liveness without rendering anything, for `parley up`, probes and tests.
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ status: 'ok', version: runtime.version }));
      return;
    }
    if (!next.handle) {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
      res.end('starting');
      return;
    }
    next.handle(req, res).catch((error: unknown) => {
      logger.error({ err: error, path: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${hostForUrl(config.http.host)}:${port}`;

  const app = createNextServer({ dev: false, dir, hostname: config.http.host, port, customServer: true });
  try {
    await app.prepare();
  } catch (error) {
    server.close();
    uninstallDashboardRuntime(runtime);
    throw new Error('next.js failed to prepare the dashboard', { cause: error });
  }
  next.handle = app.getRequestHandler();
  logger.info({ url, signalUrl: config.signal.url, version: runtime.version }, 'dashboard listening');

  let stopping: Promise<void> | undefined;
  return {
    port,
    url,
    config,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Live event streams never end on their own.
        server.closeAllConnections();
        await closed;
        await app.close().catch(() => undefined);
        uninstallDashboardRuntime(runtime);
        logger.info('dashboard stopped');
      })();
      return stopping;
    },
  };
}
