import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pinSelf } from '../../common/cpu-pinning.js';
import { describeMachine } from '../../common/machine.js';
import type { BrokerKind } from '../brokers/start-broker.js';
import type { VerifyMode } from '../client/signal-peer.js';
import { renderReport, summarize } from './report.js';
import { runSignalBench } from './run-signal-bench.js';

/**
 * `npm run bench:signal [-- options]`: the composition root of the signaling benchmark. Pins
 * itself (the load generator) to one core and each broker to another, runs the rounds and prints
 * Markdown. Figures, not assertions: nothing here fails because a number is low.
 */
const USAGE = `usage: npm run bench:signal -- [options]
  --rounds N             load rounds per target (default 5; 0 = memory only)
  --rooms N              rooms (default 100)
  --peers 2,3,4          room sizes, used in turn (default 2,3,4)
  --window N             messages in flight per pair, closed loop (default 16)
  --warmup-ms MS         warm-up before each measurement (default 1000)
  --measure-ms MS        measured window (default 4000)
  --rate N               open-loop msgs/s (default: half the ws baseline's closed-loop rate)
  --idle N               idle connections for the memory figure (default 10000; 0 = skip)
  --idle-rounds N        rounds of the memory measurement (default 3)
  --broker-cpu N         core of the broker (default 0)
  --generator-cpu N      core of this load generator (default 1)
  --no-pin               run unpinned (figures then mean much less)
  --targets a,b          parley,ws-baseline,uws-echo,uws-relay (default parley,ws-baseline,uws-echo)
  --verify fast|full     full: JSON-parse and schema-check every frame (slower generator)
  --cpu-profile DIR      write V8 CPU profiles of the Parley broker into DIR
  --json FILE            also write every round's raw figures as JSON
  --markdown FILE        also write the report as Markdown`;

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    rooms: { type: 'string', default: '100' },
    peers: { type: 'string', default: '2,3,4' },
    window: { type: 'string', default: '16' },
    'warmup-ms': { type: 'string', default: '1000' },
    'measure-ms': { type: 'string', default: '4000' },
    rate: { type: 'string' },
    idle: { type: 'string', default: '10000' },
    'idle-rounds': { type: 'string', default: '3' },
    'broker-cpu': { type: 'string', default: '0' },
    'generator-cpu': { type: 'string', default: '1' },
    'no-pin': { type: 'boolean', default: false },
    targets: { type: 'string', default: 'parley,ws-baseline,uws-echo' },
    verify: { type: 'string', default: 'fast' },
    'cpu-profile': { type: 'string' },
    json: { type: 'string' },
    markdown: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function integer(name: string, raw: string | undefined, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} must be an integer ≥ ${min}, got ${raw}\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

const KINDS: BrokerKind[] = ['parley', 'ws-baseline', 'uws-echo', 'uws-relay'];
const targets = values.targets.split(',').map((name) => name.trim()) as BrokerKind[];
const unknown = targets.filter((name) => !KINDS.includes(name));
if (unknown.length) {
  console.error(`unknown --targets ${unknown.join(',')}; choose from ${KINDS.join(',')}`);
  process.exit(2);
}
if (values.verify !== 'fast' && values.verify !== 'full') {
  console.error('--verify is fast or full');
  process.exit(2);
}

// Described before pinning: once pinned, this process sees a single CPU.
const machine = describeMachine();
const pin = !values['no-pin'];
const generatorCpu = integer('generator-cpu', values['generator-cpu'], 0);
const brokerCpu = integer('broker-cpu', values['broker-cpu'], 0);
if (pin) {
  const mask = pinSelf(generatorCpu);
  console.log(`load generator pid ${process.pid} pinned to CPU ${mask}; brokers go to CPU ${brokerCpu}`);
}

const command = `npm run bench:signal${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const options = {
  rounds: integer('rounds', values.rounds, 0),
  rooms: integer('rooms', values.rooms, 1),
  peersPerRoom: values.peers.split(',').map((size) => integer('peers', size, 2)),
  windowPerPair: integer('window', values.window, 1),
  warmupMs: integer('warmup-ms', values['warmup-ms'], 0),
  measureMs: integer('measure-ms', values['measure-ms'], 100),
  ...(values.rate === undefined ? {} : { openLoopRate: integer('rate', values.rate, 1) }),
  idleConnections: integer('idle', values.idle, 0),
  idleRounds: integer('idle-rounds', values['idle-rounds'], 1),
  ...(pin ? { brokerCpu } : {}),
  targets,
  verify: values.verify as VerifyMode,
  ...(values['cpu-profile'] ? { cpuProfileDir: resolve(process.env.INIT_CWD ?? process.cwd(), values['cpu-profile']) } : {}),
  // Connections come from 127.0.0.1–127.0.0.8 so 10,000 of them, round after round, stay clear of
  // the ephemeral port range of any one source address.
  localAddresses: Array.from({ length: 8 }, (_, index) => `127.0.0.${index + 1}`),
  log: (line: string) => console.log(`[bench] ${line}`),
};

if (options.cpuProfileDir) mkdirSync(options.cpuProfileDir, { recursive: true });
// Under `npm run --workspace` the working directory is loadtest/; paths given on the command line
// are meant relative to where the command was typed (npm passes it as INIT_CWD).
const fromInvocation = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);
const result = await runSignalBench(options);
const summary = summarize(result);
const report = renderReport(result, summary, machine, command);
console.log(`\n${report}\n`);
if (values.json) {
  const path = fromInvocation(values.json);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ machine, command, result, summary }, null, 2));
}
if (values.markdown) {
  const path = fromInvocation(values.markdown);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${report}\n`);
}
process.exit(0);
