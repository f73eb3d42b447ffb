import { randomBytes } from 'node:crypto';
import { cpuProbe } from '../../common/cpu-time.js';
import { median } from '../../common/summary.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { forEachConcurrently, populate, type Population } from '../scenarios/population.js';
import { runClosedLoop, runOpenLoop, type LoadResult } from '../scenarios/steady-rooms.js';
import { spawnBroker, type BrokerChild } from '../brokers/broker-child.js';
import type { BrokerMemorySample } from '../brokers/broker-process.js';
import type { BrokerKind, BrokerOptions } from '../brokers/start-broker.js';
import { echoTarget, parleyTarget, uwsRelayTarget, wsBaselineTarget, type SignalTarget } from '../target.js';
import type { VerifyMode } from '../client/signal-peer.js';
import { SignalPeer } from '../client/signal-peer.js';
import { Ledger } from '../client/ledger.js';

/**
 * `npm run bench:signal`: the same steady-rooms load against Parley, against a minimal `ws`
 * broker and against a uWS echo server (the generator's own ceiling), each broker alone on its
 * core, in alternating order over several rounds (closed loop first, then open loop at one rate
 * for all); then 10,000 idle connections against each broker to measure memory per connection. Returns every round's figures; report.ts prints them.
 */
export interface SignalBenchOptions {
  rounds: number;
  rooms: number;
  peersPerRoom: number[];
  windowPerPair: number;
  warmupMs: number;
  measureMs: number;
  /** Open-loop rate; when undefined, half the ws baseline's median closed-loop rate. */
  openLoopRate?: number;
  idleConnections: number;
  idleRounds: number;
  /** Unpinned when undefined. */
  brokerCpu?: number;
  targets: BrokerKind[];
  verify: VerifyMode;
  /** Write a CPU profile of each Parley broker process here. */
  cpuProfileDir?: string;
  /** Source addresses for the generator's connections. */
  localAddresses: string[];
  log: (line: string) => void;
}

export interface TargetRound {
  kind: BrokerKind;
  round: number;
  peers: number;
  pairs: number;
  connectP50Us: number;
  connectP99Us: number;
  joinP50Us: number;
  joinP99Us: number;
  closedLoop: LoadResult;
  openLoop: LoadResult | null;
  problems: number;
  problemExamples: string[];
}

export interface IdleRound {
  kind: BrokerKind;
  round: number;
  connections: number;
  before: BrokerMemorySample;
  connected: BrokerMemorySample;
  joined: BrokerMemorySample | null;
  /**
   * After all of them closed, and after as many new ones connected: the marginal cost of an idle
   * connection once the process has grown its heap (the first batch also pays for V8 growing its
   * heap and for allocator high-water marks that the process keeps).
   */
  afterClose: BrokerMemorySample;
  reconnected: BrokerMemorySample;
  problems: number;
  problemExamples: string[];
}

export interface SignalBenchResult {
  options: Omit<SignalBenchOptions, 'log'>;
  openLoopRate: number;
  rounds: TargetRound[];
  idle: IdleRound[];
}

function targetFor(kind: BrokerKind, port: number, options: BrokerOptions): SignalTarget {
  const origin = { wsOrigin: `ws://127.0.0.1:${port}`, httpOrigin: `http://127.0.0.1:${port}` };
  if (kind === 'parley') return parleyTarget({ ...origin, hs256Secret: options.hs256Secret! });
  if (kind === 'ws-baseline') return wsBaselineTarget(origin);
  if (kind === 'uws-relay') return uwsRelayTarget(origin);
  return echoTarget(origin);
}

function brokerOptions(): BrokerOptions {
  return { hs256Secret: randomBytes(32).toString('base64url'), turnSecret: randomBytes(24).toString('base64url') };
}

async function withBroker<T>(kind: BrokerKind, options: SignalBenchOptions, profile: boolean, body: (broker: BrokerChild, target: SignalTarget) => Promise<T>): Promise<T> {
  const secrets = brokerOptions();
  const broker = await spawnBroker({
    kind,
    options: secrets,
    ...(options.brokerCpu === undefined ? {} : { cpu: options.brokerCpu }),
    ...(profile && options.cpuProfileDir ? { cpuProfileDir: options.cpuProfileDir } : {}),
  });
  try {
    return await body(broker, targetFor(kind, broker.port, secrets));
  } finally {
    await broker.stop();
  }
}

async function closedLoopRound(kind: BrokerKind, round: number, options: SignalBenchOptions): Promise<TargetRound> {
  return withBroker(kind, options, kind === 'parley', async (broker, target) => {
    const population = await populate({
      target,
      layout: { rooms: options.rooms, peersPerRoom: options.peersPerRoom },
      verify: options.verify,
      runId: `b${round}${kind[0]}`,
      localAddresses: options.localAddresses,
    });
    try {
      const closedLoop = await runClosedLoop(population, {
        windowPerPair: options.windowPerPair,
        warmupMs: options.warmupMs,
        measureMs: options.measureMs,
        cpuProbe: cpuProbe(broker.pid),
      });
      return {
        kind,
        round,
        peers: population.peers.length,
        pairs: population.ledger.pairs.length,
        connectP50Us: population.connectUs.percentile(50),
        connectP99Us: population.connectUs.percentile(99),
        joinP50Us: population.joinUs.percentile(50),
        joinP99Us: population.joinUs.percentile(99),
        closedLoop,
        openLoop: null,
        problems: population.ledger.problems.total,
        problemExamples: population.ledger.problems.examples.slice(0, 5),
      };
    } finally {
      await population.close();
    }
  });
}

/** The open-loop run of one (kind, round), on a fresh broker; its figures and problems join `into`. */
async function openLoopRound(into: TargetRound, ratePerSecond: number, options: SignalBenchOptions): Promise<void> {
  await withBroker(into.kind, options, false, async (broker, target) => {
    const population = await populate({
      target,
      layout: { rooms: options.rooms, peersPerRoom: options.peersPerRoom },
      verify: options.verify,
      runId: `o${into.round}${into.kind[0]}`,
      localAddresses: options.localAddresses,
    });
    try {
      into.openLoop = await runOpenLoop(population, { ratePerSecond, warmupMs: options.warmupMs, measureMs: options.measureMs, cpuProbe: cpuProbe(broker.pid) });
      into.problems += population.ledger.problems.total;
      into.problemExamples.push(...population.ledger.problems.examples.slice(0, 5));
    } finally {
      await population.close();
    }
  });
}

async function connectIdle(target: SignalTarget, count: number, runId: string, options: SignalBenchOptions, ledger: Ledger): Promise<SignalPeer[]> {
  const peers = Array.from(
    { length: count },
    (_, index) =>
      new SignalPeer({
        target,
        index,
        userId: `${runId}-u${index}`,
        ledger,
        verify: 'fast',
        ...(options.localAddresses.length ? { localAddress: options.localAddresses[index % options.localAddresses.length]! } : {}),
      }),
  );
  await forEachConcurrently(peers, 256, async (peer) => {
    try {
      await peer.connect();
    } catch (error) {
      ledger.problems.add('connect_failed', `peer ${peer.index}: ${(error as Error).message}`);
    }
  });
  return peers;
}

async function idleRound(kind: BrokerKind, round: number, options: SignalBenchOptions): Promise<IdleRound> {
  return withBroker(kind, options, false, async (broker, target) => {
    const ledger = new Ledger();
    // Warm the broker up (code paths compiled, pools allocated) so the baseline sample is fair.
    const warm: Population = await populate({ target, layout: { rooms: 50, peersPerRoom: [2] }, verify: 'fast', runId: `w${round}`, localAddresses: options.localAddresses });
    await warm.close();
    await sleep(500);
    const before = await broker.memory();
    const peers = await connectIdle(target, options.idleConnections, `i${round}`, options, ledger);
    await sleep(1_000);
    const connected = await broker.memory();
    let joined: BrokerMemorySample | null = null;
    if (target.speaksProtocol) {
      await forEachConcurrently(peers, 256, async (peer) => {
        if (!peer.isOpen) return;
        try {
          await peer.join(`i${round}-r${peer.index >> 1}`);
        } catch (error) {
          ledger.problems.add('join_failed', `peer ${peer.index}: ${(error as Error).message}`);
        }
      });
      await sleep(1_000);
      joined = await broker.memory();
    }
    const open = peers.filter((peer) => peer.isOpen).length;
    if (open !== peers.length) ledger.problems.add('connection_lost', `${peers.length - open} of ${peers.length} idle connections closed`);
    await forEachConcurrently(peers, 256, (peer) => peer.close());
    await sleep(1_000);
    const afterClose = await broker.memory();
    const again = await connectIdle(target, options.idleConnections, `j${round}`, options, ledger);
    await sleep(1_000);
    const reconnected = await broker.memory();
    for (const peer of again) peer.drop();
    return {
      kind,
      round,
      connections: peers.length,
      before,
      connected,
      joined,
      afterClose,
      reconnected,
      problems: ledger.problems.total + warm.ledger.problems.total,
      problemExamples: [...warm.ledger.problems.examples, ...ledger.problems.examples].slice(0, 5),
    };
  });
}

export async function runSignalBench(options: SignalBenchOptions): Promise<SignalBenchResult> {
  const rounds: TargetRound[] = [];
  const order = [...options.targets];
  const inRoundOrder = (round: number) => (round % 2 === 1 ? order : [...order].reverse());
  for (let round = 1; round <= options.rounds; round++) {
    // Alternate the order from round to round so slow drifts of the machine hit every target alike.
    for (const kind of inRoundOrder(round)) {
      const result = await closedLoopRound(kind, round, options);
      rounds.push(result);
      options.log(
        `round ${round} ${kind}: ${Math.round(result.closedLoop.deliveredPerSecond)} msgs/s closed-loop, p99 ${result.closedLoop.p99Us} µs, ` +
          `broker CPU ${result.closedLoop.brokerCpuSeconds?.toFixed(2) ?? 'n/a'} s; problems ${result.problems}` +
          (result.problemExamples.length ? ` (${result.problemExamples[0]})` : ''),
      );
    }
  }

  // Same offered load for every broker: half of what the ws baseline sustained (median of its rounds).
  const baselineRates = rounds.filter((round) => round.kind === 'ws-baseline').map((round) => round.closedLoop.deliveredPerSecond);
  const openLoopRate = options.openLoopRate ?? (baselineRates.length ? Math.max(1_000, Math.round(median(baselineRates) / 2 / 1_000) * 1_000) : undefined);
  if (openLoopRate !== undefined) {
    options.log(`open-loop rate: ${openLoopRate} msgs/s${options.openLoopRate === undefined ? " (half the ws baseline's median closed-loop rate)" : ''}`);
    for (let round = 1; round <= options.rounds; round++) {
      for (const kind of inRoundOrder(round).filter((target) => target !== 'uws-echo')) {
        const result = rounds.find((candidate) => candidate.kind === kind && candidate.round === round)!;
        await openLoopRound(result, openLoopRate, options);
        options.log(`round ${round} ${kind}: open loop at ${openLoopRate} msgs/s, p99 ${result.openLoop?.p99Us} µs; problems ${result.problems}`);
      }
    }
  }

  const idle: IdleRound[] = [];
  if (options.idleConnections > 0) {
    for (let round = 1; round <= options.idleRounds; round++) {
      for (const kind of inRoundOrder(round).filter((target) => target !== 'uws-echo')) {
        const result = await idleRound(kind, round, options);
        idle.push(result);
        const perConnection = (result.connected.rssBytes - result.before.rssBytes) / result.connections;
        options.log(`idle round ${round} ${kind}: ${result.connections} connections, ${Math.round(perConnection)} B RSS each; problems ${result.problems}`);
      }
    }
  }
  const { log: _log, ...recorded } = options;
  return { options: recorded, openLoopRate: openLoopRate ?? Number.NaN, rounds, idle };
}
