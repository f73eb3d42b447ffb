import { fileURLToPath } from 'node:url';
import type { DevSecrets } from '../dev-secrets.js';
import type { ChildSpec } from './child-spec.js';

export interface UpContext {
  host: string;
  /** Port of the signal server (HTTP, WebSocket, web client). */
  signalPort: number;
  /** Port of the admin dashboard. */
  dashboardPort: number;
  /** UDP and TCP port of the TURN relay. */
  turnPort: number;
  /** HTTP port of the TURN relay (/healthz, /metrics, /v1/status). */
  turnHttpPort: number;
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
 * Peers the relay of `parley up` may reach although the default deny list refuses them: loopback,
 * private (RFC 1918, RFC 4193) and link-local networks, so that two browser tabs or two machines
 * of one LAN can call through it. Only `parley up` sets this (a local demo, announced by
 * LOCAL_DEMO_WARNING and the relay's own warning); `parley turn` keeps the default deny list.
 */
export const LOCAL_DEMO_ALLOWED_PEERS = ['127.0.0.0/8', '::1', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'] as const;

export const LOCAL_DEMO_WARNING = `WARNING         local demo: the TURN relay relays to loopback and private networks (${LOCAL_DEMO_ALLOWED_PEERS.join(' ')}); never expose it. \`parley turn\` denies them by default.`;

/**
 * The processes of the embedded default, started in this order: the TURN relay, the signal
 * server (it also serves the web client) with the relay's URLs, its status URL and the shared
 * secrets, then the admin dashboard pointed at the signal server. Stopped in reverse order.
 */
export function childSpecs(context: UpContext): ChildSpec[] {
  const host = urlHost(context.host);
  const turnHttpUrl = `http://${host}:${context.turnHttpPort}`;
  const turnUrls = [`turn:${host}:${context.turnPort}?transport=udp`, `turn:${host}:${context.turnPort}?transport=tcp`];
  const turn: ChildSpec = {
    name: 'turn',
    command: process.execPath,
    args: [PARLEY_BIN, 'turn'],
    env: withDefaults(context.env, {
      PARLEY_TURN_NODE_ID: 'turn-1',
      PARLEY_TURN_LISTEN__HOSTS: context.host,
      PARLEY_TURN_LISTEN__UDP_PORT: String(context.turnPort),
      PARLEY_TURN_LISTEN__TCP_PORT: String(context.turnPort),
      PARLEY_TURN_HTTP__HOST: context.host,
      PARLEY_TURN_HTTP__PORT: String(context.turnHttpPort),
      // The signal server signs credentials with this secret; the relay verifies them with it.
      PARLEY_TURN_AUTH__SECRETS: context.secrets.turnSecret,
      PARLEY_TURN_HTTP__INTERNAL_TOKEN: context.secrets.internalToken,
      PARLEY_TURN_POLICY__ALLOW_PEERS: LOCAL_DEMO_ALLOWED_PEERS.join(','),
    }),
    readinessUrl: `${turnHttpUrl}/healthz`,
    banner: [`turn relay      ${turnUrls.join('  ')}  (status ${turnHttpUrl}/v1/status)`, LOCAL_DEMO_WARNING],
  };
  const signalUrl = `http://${host}:${context.signalPort}`;
  const signal: ChildSpec = {
    name: 'signal',
    command: process.execPath,
    args: [PARLEY_BIN, 'signal'],
    env: withDefaults(context.env, {
      PARLEY_SIGNAL_HTTP__HOST: context.host,
      PARLEY_SIGNAL_HTTP__PORT: String(context.signalPort),
      PARLEY_SIGNAL_AUTH__HS256_SECRETS: context.secrets.jwtSecret,
      PARLEY_SIGNAL_TURN__SECRETS: context.secrets.turnSecret,
      PARLEY_SIGNAL_TURN__URLS: turnUrls.join(','),
      PARLEY_SIGNAL_TURN__NODES: `${turnHttpUrl}/v1/status`,
      PARLEY_SIGNAL_TURN__INTERNAL_TOKEN: context.secrets.internalToken,
      PARLEY_SIGNAL_DEV__TOKEN_ENDPOINT: 'true',
      PARLEY_SIGNAL_NODE__ID: 'signal-1',
    }),
    readinessUrl: `${signalUrl}/readyz`,
    banner: [`signal server   ${signalUrl}  (WebSocket ${signalUrl.replace('http', 'ws')}/v1/ws)`, `metrics         ${signalUrl}/metrics`],
  };
  const dashboardUrl = `http://${host}:${context.dashboardPort}`;
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
  return [turn, signal, dashboard];
}
