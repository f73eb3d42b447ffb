import { fileURLToPath } from 'node:url';
import type { DevSecrets } from '../dev-secrets.js';
import type { ChildSpec } from './child-spec.js';

export interface UpContext {
  host: string;
  /** Port of the signal server (HTTP, WebSocket, web client). */
  signalPort: number;
  /** Port of the admin dashboard. */
  dashboardPort: number;
  secrets: DevSecrets;
  /** The environment `parley up` runs in; a PARLEY_* variable set there wins over our defaults. */
  env: NodeJS.ProcessEnv;
}

/** The `parley` executable of this installation, run with the same Node. */
export const PARLEY_BIN = fileURLToPath(new URL('../../bin/parley.js', import.meta.url));

/** `defaults` under `env`: what the user exported explicitly wins. */
function withDefaults(env: NodeJS.ProcessEnv, defaults: Record<string, string>): NodeJS.ProcessEnv {
  return { ...defaults, ...env };
}

export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The processes of the embedded default, started in this order: the signal server (it also
 * serves the web client), then the admin dashboard pointed at it. The TURN relay joins this list
 * with `secrets.turnSecret` and `secrets.internalToken`, and the signal entry then gets
 * PARLEY_SIGNAL_TURN__URLS, PARLEY_SIGNAL_TURN__NODES (its /v1/status URL) and
 * PARLEY_SIGNAL_TURN__INTERNAL_TOKEN.
 */
export function childSpecs(context: UpContext): ChildSpec[] {
  const signalUrl = `http://${urlHost(context.host)}:${context.signalPort}`;
  const signal: ChildSpec = {
    name: 'signal',
    command: process.execPath,
    args: [PARLEY_BIN, 'signal'],
    env: withDefaults(context.env, {
      PARLEY_SIGNAL_HTTP__HOST: context.host,
      PARLEY_SIGNAL_HTTP__PORT: String(context.signalPort),
      PARLEY_SIGNAL_AUTH__HS256_SECRETS: context.secrets.jwtSecret,
      PARLEY_SIGNAL_TURN__SECRETS: context.secrets.turnSecret,
      PARLEY_SIGNAL_DEV__TOKEN_ENDPOINT: 'true',
      PARLEY_SIGNAL_NODE__ID: 'signal-1',
    }),
    readinessUrl: `${signalUrl}/readyz`,
    banner: [`signal server   ${signalUrl}  (WebSocket ${signalUrl.replace('http', 'ws')}/v1/ws)`, `metrics         ${signalUrl}/metrics`],
  };
  const dashboardUrl = `http://${urlHost(context.host)}:${context.dashboardPort}`;
  const dashboard: ChildSpec = {
    name: 'dashboard',
    command: process.execPath,
    args: [PARLEY_BIN, 'dashboard'],
    env: withDefaults(context.env, {
      PARLEY_DASHBOARD_HTTP__HOST: context.host,
      PARLEY_DASHBOARD_HTTP__PORT: String(context.dashboardPort),
      // The dashboard reads only the signal server's admin API.
      PARLEY_DASHBOARD_SIGNAL__URL: signalUrl,
      NEXT_TELEMETRY_DISABLED: '1',
    }),
    readinessUrl: `${dashboardUrl}/healthz`,
    banner: [`dashboard       ${dashboardUrl}  (log in with the admin token below)`],
  };
  return [signal, dashboard];
}
