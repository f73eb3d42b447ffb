import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignalServer, type SignalServer } from '@parley/server';
import { parleyLoadConfig } from '../brokers/start-broker.js';
import { parleyTarget, type SignalTarget } from '../target.js';
import { runJoinStorm } from './join-storm.js';
import { populate, type Population } from './population.js';
import { runReconnectStorm } from './reconnect-storm.js';
import { runClosedLoop, runOpenLoop } from './steady-rooms.js';
import { runTurnCredentialsLoad } from './turn-credentials.js';

/**
 * The harness's scenarios against the real Parley signal server (uWS on 127.0.0.1:0), small and
 * short. They assert what the load test promises to check, never timing: every message of every
 * pair delivered exactly once and in order with the right `from`, consistent rooms, resumes that
 * keep peer ids without anyone seeing a leave, valid TURN credentials, and no errors.
 */
const hs256Secret = randomBytes(32).toString('base64url');
const turnSecret = randomBytes(24).toString('base64url');
let server: SignalServer;
let target: SignalTarget;

beforeAll(async () => {
  server = await startSignalServer({ config: parleyLoadConfig({ hs256Secret, turnSecret }) });
  target = parleyTarget({ wsOrigin: `ws://127.0.0.1:${server.port}`, httpOrigin: `http://127.0.0.1:${server.port}`, hs256Secret });
});
afterAll(async () => {
  await server?.stop();
});

function expectNoProblems(population: Population): void {
  expect(population.ledger.problems.toJSON()).toEqual({ counts: {}, examples: [] });
}

describe('the load-test scenarios against Parley', () => {
  it('join storm: every peer joins and every member sees its whole room, later joiners impolite', async () => {
    const { population, result } = await runJoinStorm({ target, layout: { rooms: 15, peersPerRoom: [2, 3, 4] }, verify: 'full', runId: 'pjs', concurrency: 15 });
    try {
      expectNoProblems(population);
      expect(result.peers).toBe(45);
      expect(population.joinUs.count).toBe(45);
    } finally {
      await population.close();
    }
  });

  it('steady rooms: every message of every pair arrives exactly once, in order, from the right peer', async () => {
    const population = await populate({ target, layout: { rooms: 6, peersPerRoom: [2, 3, 4] }, verify: 'full', runId: 'psr' });
    try {
      expect(population.ledger.pairs).toHaveLength(40);
      const closed = await runClosedLoop(population, { windowPerPair: 4, warmupMs: 100, measureMs: 400 });
      const open = await runOpenLoop(population, { ratePerSecond: 2_000, warmupMs: 100, measureMs: 400 });
      expect(closed.deliveredInWindow).toBeGreaterThan(0);
      expect(open.deliveredInWindow).toBeGreaterThan(0);
      expectNoProblems(population);
      for (const pair of population.ledger.pairs) expect(pair.received).toBe(pair.sent);
    } finally {
      await population.close();
    }
  });

  it('steady rooms in fast mode agree with full verification', async () => {
    const population = await populate({ target, layout: { rooms: 3, peersPerRoom: [3] }, verify: 'fast', runId: 'pfm' });
    try {
      await runClosedLoop(population, { windowPerPair: 8, warmupMs: 50, measureMs: 300 });
      expectNoProblems(population);
      for (const pair of population.ledger.pairs) expect(pair.received).toBe(pair.sent);
    } finally {
      await population.close();
    }
  });

  it('reconnect storm: dropped peers resume with the same id, get what was sent meanwhile in order, nobody sees them leave', async () => {
    const population = await populate({ target, layout: { rooms: 8, peersPerRoom: [2, 3, 4] }, verify: 'full', runId: 'prs' });
    try {
      const result = await runReconnectStorm(population, { messagesWhileAway: 5, messagesAfter: 3 });
      expectNoProblems(population);
      expect(result.dropped).toBe(8);
      expect(result.resumed).toBe(8);
      expect(result.leaveNotices).toBe(0);
      // Rooms of 2, 3, 4 (and again): 1 + 2 + 3 remaining members per room send to the dropped one.
      expect(result.sentWhileAway).toBe((1 + 2 + 3 + 1 + 2 + 3 + 1 + 2) * 5);
      for (const pair of population.ledger.pairs) expect(pair.received).toBe(pair.sent);
    } finally {
      await population.close();
    }
  });

  it('TURN credential API: every answer is a coturn REST credential signed with the configured secret', async () => {
    const result = await runTurnCredentialsLoad({ target, requests: 200, concurrency: 8, users: 20, runId: 'ptc', turnSecrets: [turnSecret] });
    expect(result.problems.toJSON()).toEqual({ counts: {}, examples: [] });
    expect(result.ok).toBe(200);

    // The verification can fail: with another secret every credential is refused.
    const wrong = await runTurnCredentialsLoad({ target, requests: 5, concurrency: 1, users: 1, runId: 'ptw', turnSecrets: ['not-the-secret-at-all'] });
    expect(wrong.ok).toBe(0);
    expect(wrong.problems.count('invalid_message')).toBe(5);
  });

  it('reports refused connections as errors, not as delivered traffic', async () => {
    const forged = parleyTarget({ wsOrigin: target.wsOrigin, httpOrigin: target.httpOrigin, hs256Secret: randomBytes(32).toString('base64url') });
    const population = await populate({ target: forged, layout: { rooms: 1, peersPerRoom: [2] }, verify: 'full', runId: 'pbad' });
    try {
      expect(population.ledger.problems.total).toBeGreaterThan(0);
      expect(population.ledger.pairs).toHaveLength(0);
    } finally {
      await population.close();
    }
  });
});
