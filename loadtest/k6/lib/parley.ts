/**
 * Settings and credentials shared by Parley's k6 scripts. Everything comes from k6's environment
 * (`k6 run -e NAME=value` or exported variables):
 *
 *   PARLEY_URL          base URL of the signal server (default http://127.0.0.1:8080); ws:// is derived
 *   PARLEY_JWT_SECRET   the server's HS256 secret: each VU mints its own user's token (preferred)
 *   PARLEY_TOKEN        or one ready-made token for every VU (then connection limits per user apply)
 *   PARLEY_TURN_SECRET  optional: verify TURN credentials (coturn REST format) in turn-credentials.ts
 *   ROOM_SIZE           peers per room (default 3); VUs 1..ROOM_SIZE share room 0, and so on
 *   RUN_ID              prefix of user and room names (default "k6"), to tell runs apart
 */
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import { Counter, Trend } from 'k6/metrics';

export const BASE_URL = (__ENV.PARLEY_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
export const WS_URL = `${BASE_URL.replace(/^http/, 'ws')}/v1/ws`;
export const ROOM_SIZE = Number(__ENV.ROOM_SIZE ?? 3);
export const RUN_ID = __ENV.RUN_ID ?? 'k6';

/** Metrics every script reports; thresholds in the scripts refer to these names. */
export const metrics = {
  connectTime: new Trend('parley_connect_time', true),
  joinTime: new Trend('parley_join_time', true),
  resumeTime: new Trend('parley_resume_time', true),
  signalLatency: new Trend('parley_signal_latency', true),
  signalsDelivered: new Counter('parley_signals_delivered'),
  outOfOrder: new Counter('parley_signals_out_of_order'),
  protocolErrors: new Counter('parley_protocol_errors'),
  resumeFailures: new Counter('parley_resume_failures'),
};

function base64url(text: string): string {
  return encoding.b64encode(text, 'rawurl');
}

/** An HS256 access token for `userId` allowed to create and join any room (DESIGN §2 claims). */
export function tokenFor(userId: string, ttlSeconds = 3_600): string {
  const secret = __ENV.PARLEY_JWT_SECRET;
  if (!secret) {
    if (__ENV.PARLEY_TOKEN) return __ENV.PARLEY_TOKEN;
    throw new Error('set PARLEY_JWT_SECRET (the server HS256 secret) or PARLEY_TOKEN');
  }
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ sub: userId, iat: now, exp: now + ttlSeconds, parley: { rooms: ['*'], create: true } }));
  const signature = crypto.hmac('sha256', secret, `${header}.${payload}`, 'base64rawurl');
  return `${header}.${payload}.${signature}`;
}

export function userForVu(vu: number): string {
  return `${RUN_ID}-vu${vu}`;
}

export function roomForVu(vu: number): string {
  return `${RUN_ID}-room${Math.floor((vu - 1) / ROOM_SIZE)}`;
}

export function wsUrlFor(userId: string, resumeToken?: string): string {
  const query = `access_token=${encodeURIComponent(tokenFor(userId))}${resumeToken ? `&resume=${encodeURIComponent(resumeToken)}` : ''}`;
  return `${WS_URL}?${query}`;
}
