/**
 * TURN credential API: `POST /v1/turn/credentials` at RATE requests per second from many users.
 * Checks each answer's shape and, when PARLEY_TURN_SECRET is given, recomputes the credential
 * (coturn REST format: base64(HMAC-SHA1(secret, username))).
 *
 *   k6 run -e PARLEY_URL=... -e PARLEY_JWT_SECRET=... -e RATE=500 loadtest/k6/turn-credentials.ts
 */
import { check } from 'k6';
import crypto from 'k6/crypto';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { BASE_URL, tokenFor, userForVu } from './lib/parley.ts';

const RATE = Number(__ENV.RATE ?? 100);
const TURN_SECRET = __ENV.PARLEY_TURN_SECRET;

export const options: Options = {
  scenarios: {
    credentials: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION ?? '30s',
      preAllocatedVUs: Math.max(10, Math.ceil(RATE / 10)),
      maxVUs: Math.max(50, RATE),
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    http_req_duration: ['p(99)<200'],
    checks: ['rate==1'],
  },
};

interface CredentialsAnswer {
  iceServers: { urls: string[]; username?: string; credential?: string }[];
  username: string;
  credential: string;
  ttl: number;
  expiresAt: number;
}

let token: string | null = null;

export default function turnCredentials(): void {
  // One user per VU, its token minted once.
  token ??= tokenFor(userForVu(exec.vu.idInTest));
  const response = http.post(`${BASE_URL}/v1/turn/credentials`, JSON.stringify({}), {
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    tags: { name: 'turn-credentials' },
  });
  const answer = response.status === 200 ? (response.json() as unknown as CredentialsAnswer) : null;
  check(answer, {
    'status 200': () => response.status === 200,
    'coturn REST username "<expiry>:<id>"': (body) => body !== null && /^\d+:.+/.test(body.username),
    'expiry in the future': (body) => body !== null && body.expiresAt > Date.now() / 1000,
    'credential verifies with the TURN secret': (body) =>
      body !== null && (!TURN_SECRET || crypto.hmac('sha1', TURN_SECRET, body.username, 'base64') === body.credential),
  });
}
