import { Agent, request } from 'node:http';
import { TurnCredentialsResponse } from '@parley/protocol';
import { verifyTurnPassword } from '@parley/turn/credentials';
import { Histogram } from '../../common/histogram.js';
import { Problems } from '../client/ledger.js';
import { nowUs } from '../client/signal-peer.js';
import type { SignalTarget } from '../target.js';

/**
 * The TURN credential API under load: `POST /v1/turn/credentials` with a Bearer token, many users
 * at once over keep-alive connections. Every answer is validated against the protocol schema and,
 * when the TURN secret is known, its credential is recomputed (coturn REST format: base64
 * HMAC-SHA1 of the username) so a fast but wrong answer counts as an error.
 */
export interface TurnCredentialsLoadOptions {
  target: SignalTarget;
  requests: number;
  concurrency: number;
  /** Users the requests rotate over. */
  users: number;
  runId: string;
  /** The TURN shared secrets the server signs with; when given, each credential is verified. */
  turnSecrets?: readonly string[];
  /** Ask for credentials attributed to this room. */
  room?: string;
}

export interface TurnCredentialsLoadResult {
  requests: number;
  ok: number;
  requestsPerSecond: number;
  p50Us: number;
  p99Us: number;
  problems: Problems;
}

function post(agent: Agent, url: URL, token: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export async function runTurnCredentialsLoad(options: TurnCredentialsLoadOptions): Promise<TurnCredentialsLoadResult> {
  const url = new URL('/v1/turn/credentials', options.target.httpOrigin);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const tokens = Array.from({ length: options.users }, (_, user) => options.target.tokenFor(`${options.runId}-turn-u${user}`));
  const body = JSON.stringify(options.room ? { room: options.room } : {});
  const latency = new Histogram();
  const problems = new Problems();
  let next = 0;
  let ok = 0;
  const started = nowUs();
  const worker = async () => {
    while (next < options.requests) {
      const index = next++;
      const sentAt = nowUs();
      try {
        const response = await post(agent, url, tokens[index % tokens.length]!, body);
        latency.record(nowUs() - sentAt);
        if (response.status !== 200) {
          problems.add('http_failed', `HTTP ${response.status}: ${response.body.slice(0, 120)}`);
          continue;
        }
        const parsed = TurnCredentialsResponse.safeParse(JSON.parse(response.body));
        if (!parsed.success) {
          problems.add('invalid_message', `answer outside the protocol: ${response.body.slice(0, 120)}`);
          continue;
        }
        const { username, credential } = parsed.data;
        if (options.turnSecrets && !verifyTurnPassword(options.turnSecrets, username, credential)) {
          problems.add('invalid_message', `credential for ${username} does not verify with the configured secret`);
          continue;
        }
        ok++;
      } catch (error) {
        problems.add('http_failed', (error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedSeconds = (nowUs() - started) / 1e6;
  agent.destroy();
  return {
    requests: options.requests,
    ok,
    requestsPerSecond: options.requests / elapsedSeconds,
    p50Us: latency.percentile(50),
    p99Us: latency.percentile(99),
    problems,
  };
}
