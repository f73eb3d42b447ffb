import type { Logger } from '@parley/runtime';
import type { DashboardConfig } from '../process/config.js';

/**
 * The hand-over from the dashboard process (src/process/, plain Node) to the Next.js server code
 * (bundled separately by Next, so module state is not shared): one object on globalThis under a
 * registered symbol. The process installs it before Next serves its first request; pages, route
 * handlers and server actions read it. Nothing here reads process.env.
 */
export interface DashboardRuntime {
  readonly config: DashboardConfig;
  readonly logger: Logger;
  /** 32-byte AES-256-GCM key that seals session cookies. */
  readonly sessionKey: Uint8Array;
  readonly version: string;
  readonly startedAtMs: number;
}

const RUNTIME_KEY = Symbol.for('parley.dashboard.runtime');

type WithRuntime = typeof globalThis & { [RUNTIME_KEY]?: DashboardRuntime };

export function installDashboardRuntime(runtime: DashboardRuntime): void {
  (globalThis as WithRuntime)[RUNTIME_KEY] = runtime;
}

export function uninstallDashboardRuntime(runtime: DashboardRuntime): void {
  const holder = globalThis as WithRuntime;
  if (holder[RUNTIME_KEY] === runtime) delete holder[RUNTIME_KEY];
}

export function dashboardRuntime(): DashboardRuntime {
  const runtime = (globalThis as WithRuntime)[RUNTIME_KEY];
  if (!runtime) {
    throw new Error('the dashboard runs under its own server (`parley dashboard`, dashboard/dist/process/main.js), which carries its configuration; plain `next start` has none');
  }
  return runtime;
}
