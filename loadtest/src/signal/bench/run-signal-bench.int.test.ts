import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as Built from '../../index.js';
import type { BrokerKind } from '../brokers/start-broker.js';

/**
 * The benchmark's own plumbing, end to end but tiny: brokers in child processes (pinned when
 * taskset exists), the generator here, every round's figures collected and summarised.
 * It asserts correctness and completeness of the figures, never their size.
 * The child processes run compiled JavaScript, so this uses the build (`npm test` builds first).
 */
const builtIndex = fileURLToPath(new URL('../../../dist/index.js', import.meta.url));

async function loadBuilt(): Promise<typeof Built> {
  if (!existsSync(builtIndex)) throw new Error(`${builtIndex} is missing: run \`npm run build\` first (npm test does)`);
  return (await import(builtIndex)) as typeof Built;
}

describe('the signaling benchmark runner', () => {
  it('runs a broker in its own pinned process and samples its memory after GC', async () => {
    const { spawnBroker, tasksetAvailable } = await loadBuilt();
    const broker = await spawnBroker({ kind: 'ws-baseline', ...(tasksetAvailable() ? { cpu: 0 } : {}) });
    try {
      expect(broker.pid).not.toBe(process.pid);
      const memory = await broker.memory();
      expect(memory.rssBytes).toBeGreaterThan(memory.heapUsedBytes);
      expect(memory.heapUsedBytes).toBeGreaterThan(0);
    } finally {
      await broker.stop();
    }
    expect(() => process.kill(broker.pid, 0)).toThrow();
  });

  it('measures every target over the same load and finds every message delivered', async () => {
    const { runSignalBench, summarize, renderReport, describeMachine } = await loadBuilt();
    const targets: BrokerKind[] = ['parley', 'ws-baseline', 'uws-echo'];
    const lines: string[] = [];
    const result = await runSignalBench({
      rounds: 2,
      rooms: 6,
      peersPerRoom: [2, 3, 4],
      windowPerPair: 2,
      warmupMs: 100,
      measureMs: 300,
      idleConnections: 40,
      idleRounds: 1,
      targets,
      verify: 'full',
      localAddresses: ['127.0.0.1', '127.0.0.2'],
      log: (line) => lines.push(line),
    });
    // The order alternates from round to round.
    expect(result.rounds.map((round) => `${round.round}:${round.kind}`)).toEqual([
      '1:parley',
      '1:ws-baseline',
      '1:uws-echo',
      '2:uws-echo',
      '2:ws-baseline',
      '2:parley',
    ]);
    for (const round of result.rounds) {
      expect(round.problems, round.problemExamples.join('\n')).toBe(0);
      expect(round.peers).toBe(18);
      expect(round.closedLoop.deliveredInWindow).toBeGreaterThan(0);
      expect(round.closedLoop.generatorCpuSeconds).toBeGreaterThan(0);
      expect(round.closedLoop.brokerCpuSeconds).not.toBeNull();
    }
    // The open-loop rate comes from the ws baseline and applies to both brokers, not to the echo server.
    expect(result.openLoopRate).toBeGreaterThanOrEqual(1_000);
    expect(result.rounds.filter((round) => round.openLoop !== null).map((round) => round.kind)).toEqual(['parley', 'ws-baseline', 'ws-baseline', 'parley']);
    for (const round of result.rounds.filter((candidate) => candidate.openLoop !== null)) {
      expect(round.openLoop!.lost).toBe(0);
      expect(round.openLoop!.deliveredInWindow).toBeGreaterThan(0);
    }
    expect(result.idle.map((round) => round.kind)).toEqual(['parley', 'ws-baseline']);
    for (const round of result.idle) {
      expect(round.problems, round.problemExamples.join('\n')).toBe(0);
      expect(round.connections).toBe(40);
      expect(round.joined).not.toBeNull();
      expect(round.reconnected.rssBytes).toBeGreaterThan(0);
    }

    const summary = summarize(result);
    expect(summary.verdicts.find((verdict) => verdict.name.startsWith('every message'))!.met).toBe(true);
    const report = renderReport(result, summary, describeMachine(), 'test');
    expect(report).toContain('| ws baseline');
    expect(report).toContain('| Parley (uWS)');
    expect(Number.isFinite(summary.throughputRatio)).toBe(true);
    expect(report).toContain('uWS echo (generator ceiling)');
    expect(lines.some((line) => line.startsWith('open-loop rate:'))).toBe(true);
  });
});
