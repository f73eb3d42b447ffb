import { setTimeout as sleep } from 'node:timers/promises';
import type { CpuProbe } from '../../common/cpu-time.js';
import { nowUs } from '../client/signal-peer.js';
import type { PairState } from '../client/ledger.js';
import type { Population } from './population.js';

/**
 * Steady rooms: every pair of every room exchanges offer/answer/candidate-shaped messages, either
 * as fast as the broker relays them (closed loop) or at a fixed offered rate (open loop).
 *
 * Closed loop: each pair keeps `windowPerPair` messages in flight; a delivery lets its sender send
 * the next one. Throughput is what the broker sustains; latency is then mostly queueing
 * (in flight / throughput, by Little's law), so compare it between brokers only at equal windows.
 *
 * Open loop: messages leave on a schedule at `ratePerSecond` whatever happens to earlier ones, so a
 * broker that falls behind shows it in its latency instead of slowing the generator down. The
 * schedule is kept by a 1 ms timer; each message is stamped when it actually leaves, so the timer's
 * granularity does not count as broker latency.
 */
export interface LoadPhaseOptions {
  warmupMs: number;
  measureMs: number;
  /** How long to wait for the last messages after sending stops; what is still missing is lost. */
  drainTimeoutMs?: number;
  /** Samples broker and generator CPU time at the edges of the measured window. */
  cpuProbe?: CpuProbe;
}

export interface ClosedLoopOptions extends LoadPhaseOptions {
  windowPerPair: number;
}

export interface OpenLoopOptions extends LoadPhaseOptions {
  ratePerSecond: number;
}

export interface LoadResult {
  /** Messages delivered in order during the measured window, per second. */
  deliveredPerSecond: number;
  /** Messages sent during the whole phase (warm-up included). */
  sent: number;
  /** Messages delivered during the measured window. */
  deliveredInWindow: number;
  measuredMs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** Messages never delivered after the drain. */
  lost: number;
  /** CPU seconds the broker / the generator spent during the measured window (null: not measured). */
  brokerCpuSeconds: number | null;
  generatorCpuSeconds: number | null;
}

async function measure(population: Population, options: LoadPhaseOptions, stop: () => void): Promise<LoadResult> {
  const { ledger } = population;
  const sentBefore = ledger.sent;
  const lostBefore = ledger.problems.count('lost');
  await sleep(options.warmupMs);
  ledger.latencyUs.reset();
  ledger.recording = true;
  const deliveredAtStart = ledger.delivered;
  const cpuAtStart = options.cpuProbe?.();
  const startedUs = nowUs();
  await sleep(options.measureMs);
  const measuredMs = (nowUs() - startedUs) / 1000;
  const deliveredInWindow = ledger.delivered - deliveredAtStart;
  const cpuAtEnd = options.cpuProbe?.();
  ledger.recording = false;
  stop();
  const drainDeadline = Date.now() + (options.drainTimeoutMs ?? 10_000);
  while (ledger.inFlight > 0 && Date.now() < drainDeadline) await sleep(20);
  ledger.settle();
  const latency = ledger.latencyUs;
  return {
    deliveredPerSecond: deliveredInWindow / (measuredMs / 1000),
    sent: ledger.sent - sentBefore,
    deliveredInWindow,
    measuredMs,
    p50Us: latency.percentile(50),
    p99Us: latency.percentile(99),
    maxUs: latency.max,
    lost: ledger.problems.count('lost') - lostBefore,
    brokerCpuSeconds: cpuAtStart?.brokerSeconds != null && cpuAtEnd?.brokerSeconds != null ? cpuAtEnd.brokerSeconds - cpuAtStart.brokerSeconds : null,
    generatorCpuSeconds: cpuAtStart && cpuAtEnd ? cpuAtEnd.generatorSeconds - cpuAtStart.generatorSeconds : null,
  };
}

export async function runClosedLoop(population: Population, options: ClosedLoopOptions): Promise<LoadResult> {
  const { peers, ledger } = population;
  let running = true;
  population.onDelivered = (pair: PairState) => {
    if (running) peers[pair.senderIndex]!.sendSignal(pair);
  };
  for (const pair of ledger.pairs) {
    const sender = peers[pair.senderIndex]!;
    for (let sent = 0; sent < options.windowPerPair; sent++) sender.sendSignal(pair);
  }
  try {
    return await measure(population, options, () => (running = false));
  } finally {
    population.onDelivered = () => {};
  }
}

export async function runOpenLoop(population: Population, options: OpenLoopOptions): Promise<LoadResult> {
  const { peers, ledger } = population;
  const pairs = ledger.pairs;
  if (pairs.length === 0) throw new Error('no pairs to send on');
  const intervalUs = 1e6 / options.ratePerSecond;
  const startedUs = nowUs();
  let scheduled = 0;
  let next = 0;
  const tick = () => {
    const tickUs = nowUs();
    const due = Math.floor((tickUs - startedUs) / intervalUs);
    for (; scheduled < due; scheduled++) {
      const pair = pairs[next]!;
      next = next + 1 === pairs.length ? 0 : next + 1;
      peers[pair.senderIndex]!.sendSignal(pair, tickUs);
    }
  };
  const timer = setInterval(tick, 1);
  return measure(population, options, () => clearInterval(timer));
}
