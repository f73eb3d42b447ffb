import { formatBytes, formatCount, formatMicros, formatRatio, markdownTable } from '../../common/format.js';
import type { MachineInfo } from '../../common/machine.js';
import { ratio, summarizeRounds, type RoundFigure } from '../../common/summary.js';
import type { BrokerKind } from '../brokers/start-broker.js';
import type { IdleRound, SignalBenchResult, TargetRound } from './run-signal-bench.js';

/**
 * Turns the rounds of a signaling benchmark into medians, ratios against the ws baseline and the
 * issue's targets, and prints them as Markdown (terminal and docs/benchmarks.md alike).
 */
const LABELS: Record<BrokerKind, string> = { parley: 'Parley (uWS)', 'ws-baseline': 'ws baseline', 'uws-echo': 'uWS echo (generator ceiling)', 'uws-relay': 'uWS relay floor (no checks)' };

/** Issue 2's targets. */
export const TARGET_THROUGHPUT_RATIO = 5;
export const TARGET_IDLE_BYTES_PER_CONNECTION = 5 * 1024;

export interface TargetSummary {
  kind: BrokerKind;
  closedMsgsPerSecond: RoundFigure;
  closedP50Us: RoundFigure;
  closedP99Us: RoundFigure;
  /** Delivered messages per CPU-second the broker spent: steadier than msgs/s on a shared machine. */
  closedMsgsPerBrokerCpuSecond: RoundFigure;
  /** Share of one core the broker / the generator used during the closed-loop window. */
  closedBrokerCoreShare: RoundFigure;
  closedGeneratorCoreShare: RoundFigure;
  openMsgsPerSecond: RoundFigure;
  openP50Us: RoundFigure;
  openP99Us: RoundFigure;
  connectP50Us: RoundFigure;
  connectP99Us: RoundFigure;
  joinP50Us: RoundFigure;
  joinP99Us: RoundFigure;
  problems: number;
  problemExamples: string[];
}

export interface IdleSummary {
  kind: BrokerKind;
  connections: number;
  rssBeforeBytes: RoundFigure;
  rssConnectedBytes: RoundFigure;
  bytesPerConnection: RoundFigure;
  heapBytesPerConnection: RoundFigure;
  bytesPerConnectionInRoom: RoundFigure;
  /** RSS per connection of a second batch, after the first one closed (see IdleRound). */
  warmBytesPerConnection: RoundFigure;
  problems: number;
  problemExamples: string[];
}

export interface SignalBenchSummary {
  targets: TargetSummary[];
  idle: IdleSummary[];
  throughputRatio: number;
  /** Parley's messages per broker CPU-second over the baseline's. */
  efficiencyRatio: number;
  openLoopP99Ratio: number;
  closedLoopP99Ratio: number;
  parleyShareOfCeiling: number;
  /** The generator's share of its core during Parley's closed-loop windows (median). */
  generatorCoreShareWithParley: number;
  verdicts: { name: string; met: boolean | null; detail: string }[];
}

function figure(rounds: TargetRound[], pick: (round: TargetRound) => number | undefined): RoundFigure {
  return summarizeRounds(rounds.map((round) => pick(round) ?? Number.NaN));
}

export function summarize(result: SignalBenchResult): SignalBenchSummary {
  const kinds = [...new Set(result.rounds.map((round) => round.kind))];
  const targets = kinds.map((kind): TargetSummary => {
    const rounds = result.rounds.filter((round) => round.kind === kind);
    return {
      kind,
      closedMsgsPerSecond: figure(rounds, (round) => round.closedLoop.deliveredPerSecond),
      closedP50Us: figure(rounds, (round) => round.closedLoop.p50Us),
      closedP99Us: figure(rounds, (round) => round.closedLoop.p99Us),
      closedMsgsPerBrokerCpuSecond: figure(rounds, ({ closedLoop }) =>
        closedLoop.brokerCpuSeconds ? closedLoop.deliveredInWindow / closedLoop.brokerCpuSeconds : undefined,
      ),
      closedBrokerCoreShare: figure(rounds, ({ closedLoop }) =>
        closedLoop.brokerCpuSeconds === null ? undefined : closedLoop.brokerCpuSeconds / (closedLoop.measuredMs / 1000),
      ),
      closedGeneratorCoreShare: figure(rounds, ({ closedLoop }) =>
        closedLoop.generatorCpuSeconds === null ? undefined : closedLoop.generatorCpuSeconds / (closedLoop.measuredMs / 1000),
      ),
      openMsgsPerSecond: figure(rounds, (round) => round.openLoop?.deliveredPerSecond),
      openP50Us: figure(rounds, (round) => round.openLoop?.p50Us),
      openP99Us: figure(rounds, (round) => round.openLoop?.p99Us),
      connectP50Us: figure(rounds, (round) => round.connectP50Us),
      connectP99Us: figure(rounds, (round) => round.connectP99Us),
      joinP50Us: figure(rounds, (round) => round.joinP50Us),
      joinP99Us: figure(rounds, (round) => round.joinP99Us),
      problems: rounds.reduce((sum, round) => sum + round.problems, 0),
      problemExamples: rounds.flatMap((round) => round.problemExamples).slice(0, 5),
    };
  });
  const idleKinds = [...new Set(result.idle.map((round) => round.kind))];
  const idle = idleKinds.map((kind): IdleSummary => {
    const rounds = result.idle.filter((round) => round.kind === kind);
    const per = (pick: (round: IdleRound) => number | null) => summarizeRounds(rounds.map((round) => pick(round) ?? Number.NaN));
    return {
      kind,
      connections: rounds[0]?.connections ?? 0,
      rssBeforeBytes: per((round) => round.before.rssBytes),
      rssConnectedBytes: per((round) => round.connected.rssBytes),
      bytesPerConnection: per((round) => (round.connected.rssBytes - round.before.rssBytes) / round.connections),
      heapBytesPerConnection: per((round) => (round.connected.heapUsedBytes - round.before.heapUsedBytes) / round.connections),
      bytesPerConnectionInRoom: per((round) => (round.joined ? (round.joined.rssBytes - round.before.rssBytes) / round.connections : null)),
      warmBytesPerConnection: per((round) => (round.reconnected.rssBytes - round.afterClose.rssBytes) / round.connections),
      problems: rounds.reduce((sum, round) => sum + round.problems, 0),
      problemExamples: rounds.flatMap((round) => round.problemExamples).slice(0, 5),
    };
  });
  const find = (kind: BrokerKind) => targets.find((target) => target.kind === kind);
  const parley = find('parley');
  const baseline = find('ws-baseline');
  const echo = find('uws-echo');
  const throughputRatio = ratio(parley?.closedMsgsPerSecond.median ?? Number.NaN, baseline?.closedMsgsPerSecond.median ?? Number.NaN);
  const efficiencyRatio = ratio(parley?.closedMsgsPerBrokerCpuSecond.median ?? Number.NaN, baseline?.closedMsgsPerBrokerCpuSecond.median ?? Number.NaN);
  const openLoopP99Ratio = ratio(parley?.openP99Us.median ?? Number.NaN, baseline?.openP99Us.median ?? Number.NaN);
  const closedLoopP99Ratio = ratio(parley?.closedP99Us.median ?? Number.NaN, baseline?.closedP99Us.median ?? Number.NaN);
  const generatorCoreShareWithParley = parley?.closedGeneratorCoreShare.median ?? Number.NaN;
  const parleyShareOfCeiling = ratio(parley?.closedMsgsPerSecond.median ?? Number.NaN, echo?.closedMsgsPerSecond.median ?? Number.NaN);
  const parleyIdle = idle.find((entry) => entry.kind === 'parley');
  const known = (value: number) => (Number.isFinite(value) ? value : null);
  const verdicts = [
    {
      name: `≥ ${TARGET_THROUGHPUT_RATIO}× the ws baseline's messages/s`,
      met: known(throughputRatio) === null ? null : throughputRatio >= TARGET_THROUGHPUT_RATIO,
      detail: `${formatRatio(throughputRatio)} (per broker CPU-second: ${formatRatio(efficiencyRatio)})`,
    },
    {
      name: 'p99 at equal offered load ≤ the ws baseline',
      met: known(openLoopP99Ratio) === null ? null : openLoopP99Ratio <= 1,
      detail: `${formatRatio(openLoopP99Ratio)} of the baseline's p99`,
    },
    {
      name: `≤ ${TARGET_IDLE_BYTES_PER_CONNECTION / 1024} KB RSS per idle connection`,
      met: parleyIdle ? parleyIdle.bytesPerConnection.median <= TARGET_IDLE_BYTES_PER_CONNECTION : null,
      detail: parleyIdle ? `${formatBytes(parleyIdle.bytesPerConnection.median)} (warm: ${formatBytes(parleyIdle.warmBytesPerConnection.median)})` : 'n/a',
    },
    {
      name: 'every message delivered exactly once, in order, no errors',
      met: targets.every((target) => target.problems === 0) && idle.every((entry) => entry.problems === 0),
      detail: [
        ...targets.map((target) => `${LABELS[target.kind]}: ${target.problems}`),
        ...idle.map((entry) => `${LABELS[entry.kind]} idle: ${entry.problems}`),
      ].join(', '),
    },
  ];
  return { targets, idle, throughputRatio, efficiencyRatio, openLoopP99Ratio, closedLoopP99Ratio, parleyShareOfCeiling, generatorCoreShareWithParley, verdicts };
}

const formatPercent = (share: number) => (Number.isFinite(share) ? `${Math.round(share * 100)} %` : 'n/a');

const spread = (value: RoundFigure, format: (value: number) => string) =>
  Number.isFinite(value.median) ? `${format(value.median)} (${format(value.min)}–${format(value.max)})` : 'n/a';

export function renderReport(result: SignalBenchResult, summary: SignalBenchSummary, machine: MachineInfo, command: string): string {
  const { options } = result;
  const lines: string[] = [];
  lines.push('## Signaling benchmark');
  lines.push('');
  lines.push(`Command: \`${command}\``);
  lines.push(
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.kernel}, Node ${machine.nodeVersion}; ` +
      `load average at start ${machine.loadAverage1m}.`,
  );
  lines.push(
    `Load: ${options.rooms} rooms of ${options.peersPerRoom.join('/')} peers (full mesh), ~300 B offer/answer/candidate-shaped \`signal\` messages; ` +
      `broker on CPU ${options.brokerCpu ?? 'any'}, generator on the other; ${options.rounds} rounds, medians shown with (min–max).`,
  );
  lines.push('');
  lines.push(`### Closed loop: as fast as each broker relays (${options.windowPerPair} in flight per pair, ${options.measureMs} ms measured)`);
  lines.push('');
  const baseline = summary.targets.find((target) => target.kind === 'ws-baseline');
  lines.push(
    markdownTable(
      ['target', 'delivered msgs/s', 'p50', 'p99', 'vs ws baseline', 'msgs per broker CPU-s', 'broker core', 'generator core'],
      summary.targets.map((target) => [
        LABELS[target.kind],
        spread(target.closedMsgsPerSecond, formatCount),
        spread(target.closedP50Us, formatMicros),
        spread(target.closedP99Us, formatMicros),
        formatRatio(ratio(target.closedMsgsPerSecond.median, baseline?.closedMsgsPerSecond.median ?? Number.NaN)),
        formatCount(target.closedMsgsPerBrokerCpuSecond.median),
        formatPercent(target.closedBrokerCoreShare.median),
        formatPercent(target.closedGeneratorCoreShare.median),
      ]),
    ),
  );
  lines.push('');
  lines.push(
    'Broker/generator core: CPU time each process used during the window, as a share of one core. A broker well below 100 % ' +
      'was not saturated (the generator or the machine limited it); a generator near 100 % is at its ceiling.',
  );
  lines.push('');
  if (Number.isFinite(summary.parleyShareOfCeiling)) {
    const generatorShare = summary.generatorCoreShareWithParley;
    lines.push(
      `Parley reaches ${(summary.parleyShareOfCeiling * 100).toFixed(0)} % of the generator's ceiling (uWS echo, medians), ` +
        `and the generator used ${formatPercent(generatorShare)} of its core while driving Parley. ` +
        (generatorShare >= 0.9
          ? 'The generator was saturated: Parley could be faster than shown.'
          : 'The generator had headroom, so it did not limit Parley\'s figure.'),
    );
    lines.push('');
  }
  lines.push(`### Open loop: the same offered load for both brokers (${formatCount(result.openLoopRate)} msgs/s)`);
  lines.push('');
  const withOpenLoop = summary.targets.filter((target) => Number.isFinite(target.openP99Us.median));
  lines.push(
    markdownTable(
      ['target', 'delivered msgs/s', 'p50', 'p99', 'p99 vs ws baseline'],
      withOpenLoop.map((target) => [
        LABELS[target.kind],
        spread(target.openMsgsPerSecond, formatCount),
        spread(target.openP50Us, formatMicros),
        spread(target.openP99Us, formatMicros),
        formatRatio(ratio(target.openP99Us.median, baseline?.openP99Us.median ?? Number.NaN)),
      ]),
    ),
  );
  lines.push('');
  lines.push('### Join storm (every room filling at once, 128 rooms in flight)');
  lines.push('');
  lines.push(
    markdownTable(
      ['target', 'connect p50', 'connect p99', 'join p50', 'join p99'],
      summary.targets
        .filter((target) => target.kind !== 'uws-echo')
        .map((target) => [
          LABELS[target.kind],
          spread(target.connectP50Us, formatMicros),
          spread(target.connectP99Us, formatMicros),
          spread(target.joinP50Us, formatMicros),
          spread(target.joinP99Us, formatMicros),
        ]),
    ),
  );
  lines.push('');
  if (summary.idle.length > 0) {
    lines.push(`### Memory: ${formatCount(options.idleConnections)} idle connections (broker RSS after a full GC, ${options.idleRounds} rounds)`);
    lines.push('');
    lines.push(
      markdownTable(
        ['target', 'RSS before', 'RSS connected', 'RSS per connection', 'in rooms of 2', 'JS heap per connection', 'RSS per connection, warm'],
        summary.idle.map((entry) => [
          LABELS[entry.kind],
          formatBytes(entry.rssBeforeBytes.median),
          formatBytes(entry.rssConnectedBytes.median),
          spread(entry.bytesPerConnection, formatBytes),
          formatBytes(entry.bytesPerConnectionInRoom.median),
          formatBytes(entry.heapBytesPerConnection.median),
          spread(entry.warmBytesPerConnection, formatBytes),
        ]),
      ),
    );
    lines.push('');
    lines.push(
      'RSS per connection: (RSS with all connected − RSS before) / connections, the issue\'s measure; it includes V8 growing ' +
        'its heap and allocator high-water marks from the connection storm. Warm: the same for a second batch after the ' +
        'first one closed, i.e. the marginal cost of an idle connection in a process that has already grown.',
    );
    lines.push('');
  }
  lines.push('### Targets (issue 2)');
  lines.push('');
  lines.push(
    markdownTable(
      ['target', 'result', 'met'],
      summary.verdicts.map((verdict) => [verdict.name, verdict.detail, verdict.met === null ? 'not measured' : verdict.met ? 'yes' : 'NO']),
    ),
  );
  const examples = [
    ...summary.targets.flatMap((target) => target.problemExamples.map((example) => `${LABELS[target.kind]}: ${example}`)),
    ...summary.idle.flatMap((entry) => entry.problemExamples.map((example) => `${LABELS[entry.kind]} (idle connections): ${example}`)),
  ];
  if (examples.length) {
    lines.push('');
    lines.push('Problems seen:');
    for (const example of examples) lines.push(`- ${example}`);
  }
  return lines.join('\n');
}
