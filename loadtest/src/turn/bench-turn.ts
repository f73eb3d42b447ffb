import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { turnPassword } from '@parley/turn/credentials';
import { coreTimes, processCpuSeconds as cpuSeconds } from '../common/cpu-time.js';
import { CHANNEL_PAYLOAD_OFFSET, INDICATION_PAYLOAD_OFFSET, LoadTurnClient, loadClientIo, type LoadCredentials } from './load-client.js';

/**
 * `npm run bench:turn`: Parley's relay, coturn and node-turn driven with the same workloads in one
 * run, each server pinned to CPU 1 and the load client to CPU 0 (taskset). Prints, per server:
 * client-to-client ChannelData packets/s at ≤ 0.5 % loss (100 B and 1000 B payloads), client-to-
 * client Send/Data indication packets/s at ≤ 0.5 % loss (100 B), authenticated allocations/s, and
 * the server's CPU use at each figure; then the ratios against coturn and node-turn.
 *
 * Every figure is a rate whose confirmation runs have a median loss ≤ 0.5 % (the search's edge,
 * stepped down 10 % at a time until they do), with the loss and server CPU of the median run. Options (env):
 * BENCH_SERVERS=parley,coturn,node-turn  BENCH_WORKLOADS=channel100,channel1000,send100,allocations,allocations-paced,channel-paced
 * BENCH_TRIAL_MS=1500  BENCH_CONFIRM=3  BENCH_PAIRS=8  BENCH_ALLOCATION_RATE=1000  BENCH_ALLOCATION_ROUNDS=7
 * BENCH_CLIENT_IO=dgram|batched: the load client's UDP I/O (batched lifts the client's own ceiling; see load-client.ts)
 * BENCH_PROFILE_DIR=/tmp/prof: V8 CPU profiles of the Node servers (open in Chrome DevTools; slows them down)
 */
const SERVER_CPU = '1';
const CLIENT_CPU = '0';
const SECRET = 'bench-secret';
/** Relayed addresses, one loopback IP per server so that servers running side by side never contend for relay ports. */
const RELAY_IPS: Record<ServerName, string> = { parley: '127.0.0.2', 'parley-no-hairpin': '127.0.0.3', 'parley-dgram': '127.0.0.6', coturn: '127.0.0.4', 'node-turn': '127.0.0.5' };
const LOSS_LIMIT = 0.005;
/** After sending stops, how long packets may still arrive and count. */
const DRAIN_MS = 1000;
const TRIAL_MS = Number(process.env.BENCH_TRIAL_MS ?? 1500);
const CONFIRM_RUNS = Number(process.env.BENCH_CONFIRM ?? 3);
/** When the confirmation runs' median loss is above 0.5 %, the rate goes down by this fraction and is confirmed again, at most this many times. */
const CONFIRM_STEP = 0.1;
const MAX_CONFIRM_STEP_DOWNS = 6;
const PAIRS = Number(process.env.BENCH_PAIRS ?? 8);
const ALLOCATION_WORKERS = 64;
/** Where the Node servers (Parley, node-turn) write V8 CPU profiles when set; the profiler costs them CPU, so figures of such a run are not comparable. */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
/** The load client's UDP I/O for data sockets; the same for every server in a run, so figures stay like for like. */
const CLIENT_IO_KIND = process.env.BENCH_CLIENT_IO ?? 'dgram';
if (CLIENT_IO_KIND !== 'dgram' && CLIENT_IO_KIND !== 'batched') throw new Error(`BENCH_CLIENT_IO must be dgram or batched, not ${CLIENT_IO_KIND}`);
const CLIENT_IO = loadClientIo(CLIENT_IO_KIND);
const SERVERS = (process.env.BENCH_SERVERS ?? 'parley,parley-no-hairpin,parley-dgram,coturn,node-turn').split(',');
/** Which workloads to run (all by default); e.g. BENCH_WORKLOADS=allocations,allocations-paced for an A/B of the allocate path. */
const WORKLOADS = (process.env.BENCH_WORKLOADS ?? 'channel100,channel1000,send100,allocations,allocations-paced,channel-paced').split(',');
/** Workloads that run every server side by side after the per-server ones. */
const SIDE_BY_SIDE_WORKLOADS = ['allocations-paced', 'channel-paced'];
/** channel-paced: client-to-client ChannelData (100 B) offered to each server, and rounds (the first is warm-up). */
const PACED_PACKET_RATE = Number(process.env.BENCH_PACKET_RATE ?? 30_000);
const PACED_PACKET_ROUNDS = Number(process.env.BENCH_PACKET_ROUNDS ?? 6);
/** allocations-paced: offered allocations/s, window length, rounds (the first is warm-up). */
const PACED_RATE = Number(process.env.BENCH_ALLOCATION_RATE ?? 1000);
const PACED_WINDOW_MS = Number(process.env.BENCH_ALLOCATION_WINDOW_MS ?? 3000);
const PACED_ROUNDS = Number(process.env.BENCH_ALLOCATION_ROUNDS ?? 7);
const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * `parley` runs on batched UDP I/O (turn/native; the bench fails if it is not built).
 * `parley-no-hairpin` is Parley with relay.hairpin off: every relay-to-relay packet goes through the kernel, as in coturn.
 * `parley-dgram` is Parley on node:dgram (udpIo: dgram), the path without the addon.
 */
type ServerName = 'parley' | 'parley-no-hairpin' | 'parley-dgram' | 'coturn' | 'node-turn';

interface RunningServer {
  name: ServerName;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function credentials(): LoadCredentials {
  const username = `${Math.floor(Date.now() / 1000) + 3600}:bench`;
  return { username, password: turnPassword(SECRET, username) };
}

function waitForReady(child: ChildProcess, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"ready":true')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startServer(name: ServerName, creds: LoadCredentials): Promise<RunningServer> {
  const port = await freePort();
  if (name === 'coturn') {
    const directory = mkdtempSync(join(tmpdir(), 'parley-bench-coturn-'));
    const child = spawn(
      'taskset',
      [
        '-c', SERVER_CPU, 'turnserver', '-n', '--no-cli', '--no-tls', '--no-dtls', '--no-tcp', '--no-stdout-log',
        '--listening-ip=127.0.0.1', `--relay-ip=${RELAY_IPS.coturn}`, `--listening-port=${port}`,
        '--use-auth-secret', `--static-auth-secret=${SECRET}`, '--realm=parley', '--allow-loopback-peers',
        '--relay-threads=1', '--min-port=50000', '--max-port=60000',
        `--pidfile=${join(directory, 'pid')}`, `--log-file=${join(directory, 'log')}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await delay(1500);
    if (child.exitCode !== null) throw new Error(`coturn exited with ${child.exitCode}`);
    return {
      name,
      port,
      pid: child.pid!,
      stop: async () => {
        await stopChild(child);
        rmSync(directory, { recursive: true, force: true });
      },
    };
  }
  const parley = name === 'parley' || name === 'parley-no-hairpin' || name === 'parley-dgram';
  const script = parley ? join(here, 'servers/parley-server.js') : join(here, 'servers/node-turn-server.js');
  const args = parley
    ? [String(port), SECRET, RELAY_IPS[name], name === 'parley-no-hairpin' ? 'off' : 'on', name === 'parley-dgram' ? 'dgram' : 'batched']
    : [String(port), creds.username, creds.password, RELAY_IPS[name]];
  const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
  const child = spawn('taskset', ['-c', SERVER_CPU, process.execPath, ...profile, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForReady(child, name);
  return { name, port, pid: child.pid!, stop: () => stopChild(child) };
}

interface Pair {
  a: LoadTurnClient;
  b: LoadTurnClient;
  packet: Buffer;
  payloadOffset: number;
}

let trialCounter = 0;

async function openPairs(server: RunningServer, creds: LoadCredentials, mode: 'channel' | 'send', payloadBytes: number): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const a = await LoadTurnClient.open(server.port, '127.0.0.1', creds, { io: CLIENT_IO });
    const b = await LoadTurnClient.open(server.port, '127.0.0.1', creds, { io: CLIENT_IO });
    const relayedA = await a.allocate();
    const relayedB = await b.allocate();
    if (mode === 'channel') {
      await a.channelBind(0x4000, relayedB);
      await b.channelBind(0x4000, relayedA);
      pairs.push({ a, b, packet: LoadTurnClient.channelDataPacket(0x4000, payloadBytes), payloadOffset: CHANNEL_PAYLOAD_OFFSET });
    } else {
      await a.createPermission(relayedB);
      await b.createPermission(relayedA);
      pairs.push({ a, b, packet: LoadTurnClient.sendIndicationPacket(relayedB, payloadBytes), payloadOffset: INDICATION_PAYLOAD_OFFSET });
    }
  }
  return pairs;
}

async function closePairs(pairs: Pair[]): Promise<void> {
  await Promise.all(pairs.flatMap((pair) => [pair.a.release().catch(() => undefined), pair.b.release().catch(() => undefined)]));
  for (const pair of pairs) {
    pair.a.close();
    pair.b.close();
  }
}

interface TrialResult {
  offeredPerSecond: number;
  sent: number;
  received: number;
  loss: number;
  deliveredPerSecond: number;
  /**
   * Server CPU-seconds per second of sending. Its work during the drain that follows counts too
   * (a server that fell behind is still relaying its backlog then), so 1.0 or more means it was
   * saturated.
   */
  serverCores: number;
  /**
   * Everything the server's CPU did per second of sending, and the softirq part of it (the
   * kernel delivering loopback datagrams). Tick-sampled by /proc/stat: meaningful only when that
   * CPU is near saturation; on one that idles it can read far from the process's own figure.
   */
  serverCpuBusy: number;
  serverCpuSoftirq: number;
  clientCores: number;
}

/** Sends at `rate` packets/s from every A to its B for TRIAL_MS, then counts what arrived. */
async function trial(server: RunningServer, pairs: Pair[], rate: number): Promise<TrialResult> {
  // Tag this trial's packets so stragglers of an earlier one are not counted.
  const tag = ++trialCounter;
  for (const pair of pairs) {
    pair.b.received = 0;
    pair.b.trialTag = tag;
    pair.packet.writeUInt32BE(tag, pair.payloadOffset);
  }
  const cpuBefore = cpuSeconds(server.pid);
  const coreBefore = coreTimes(Number(SERVER_CPU));
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - started;
      if (elapsed >= TRIAL_MS) return resolve();
      const due = Math.floor((elapsed * rate) / 1000);
      while (sent < due) {
        const pair = pairs[sent % pairs.length]!;
        pair.a.sendRaw(pair.packet);
        sent++;
      }
      setImmediate(tick);
    };
    tick();
  });
  const wallSeconds = (performance.now() - started) / 1000;
  await delay(DRAIN_MS);
  const cpuAfter = cpuSeconds(server.pid);
  const coreAfter = coreTimes(Number(SERVER_CPU));
  const clientUsage = process.cpuUsage(clientBefore);
  const received = pairs.reduce((sum, pair) => sum + pair.b.received, 0);
  const loss = sent === 0 ? 1 : Math.max(0, (sent - received) / sent);
  const result = {
    offeredPerSecond: rate,
    sent,
    received,
    loss,
    deliveredPerSecond: received / wallSeconds,
    // Per second of sending, not of sending plus drain: dividing by both (as before 1af765f)
    // showed a saturated server at 0.53–0.68 cores.
    serverCores: (cpuAfter - cpuBefore) / wallSeconds,
    serverCpuBusy: (coreAfter.busySeconds - coreBefore.busySeconds) / wallSeconds,
    serverCpuSoftirq: (coreAfter.softirqSeconds - coreBefore.softirqSeconds) / wallSeconds,
    clientCores: (clientUsage.user + clientUsage.system) / 1e6 / wallSeconds,
  };
  if (process.env.BENCH_VERBOSE) {
    process.stderr.write(
      `  rate ${rate}: sent ${sent} received ${received} loss ${(loss * 100).toFixed(2)} % server ${result.serverCores.toFixed(2)} cores` +
        ` (CPU ${SERVER_CPU} busy ${result.serverCpuBusy.toFixed(2)}, softirq ${result.serverCpuSoftirq.toFixed(2)}) client ${result.clientCores.toFixed(2)} cores\n`,
    );
  }
  return result;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface RateFigure {
  packetsPerSecond: number;
  lossPercent: number;
  serverCores: number;
  /** CPU 1 as a whole per second of sending, and its softirq part (packet workloads only). */
  serverCpuBusy?: number;
  serverCpuSoftirq?: number;
  /** The edge the search found, when the confirmed figure had to step down from it. */
  searchedRate?: number;
  note?: string;
}

/**
 * Whether `rate` can be carried with loss ≤ 0.5 %. Two attempts: on this shared machine a stall of
 * another tenant's process can overflow a socket buffer, and noise only ever causes loss, never
 * hides it, so one clean attempt is proof the rate is carried.
 */
async function passes(server: RunningServer, pairs: Pair[], rate: number): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) if ((await trial(server, pairs, rate)).loss <= LOSS_LIMIT) return true;
  return false;
}

/**
 * Highest rate with loss ≤ 0.5 %: doubling, then 5 bisection steps, then confirmation. The search
 * takes a rate when one of two attempts passes, so it finds the edge a lucky moment can carry;
 * the figure is the highest rate at or below it whose confirmation runs have a median loss
 * ≤ 0.5 %, stepping down by CONFIRM_STEP at a time (every server alike).
 */
async function maxLosslessRate(server: RunningServer, pairs: Pair[]): Promise<RateFigure> {
  let passing = 0;
  let failing = 0;
  for (let rate = 2000; rate <= 256_000; rate *= 2) {
    if (await passes(server, pairs, rate)) passing = rate;
    else {
      failing = rate;
      break;
    }
  }
  if (failing === 0) failing = passing * 2;
  for (let step = 0; step < 5; step++) {
    const rate = Math.round((passing + failing) / 2);
    if (await passes(server, pairs, rate)) passing = rate;
    else failing = rate;
  }
  if (passing === 0) {
    const probe = await trial(server, pairs, 500);
    return { packetsPerSecond: 0, lossPercent: probe.loss * 100, serverCores: probe.serverCores, note: `loses ${(probe.loss * 100).toFixed(0)} % even at 500/s` };
  }
  let rate = passing;
  for (let stepDown = 0; ; stepDown++) {
    const confirmations: TrialResult[] = [];
    for (let run = 0; run < CONFIRM_RUNS; run++) confirmations.push(await trial(server, pairs, rate));
    const losses = confirmations.map((result) => result.loss);
    const chosen = confirmations[losses.indexOf(median(losses))]!;
    const figure: RateFigure = {
      packetsPerSecond: rate,
      lossPercent: chosen.loss * 100,
      serverCores: chosen.serverCores,
      serverCpuBusy: chosen.serverCpuBusy,
      serverCpuSoftirq: chosen.serverCpuSoftirq,
      searchedRate: passing,
    };
    if (chosen.loss <= LOSS_LIMIT) return figure;
    if (stepDown === MAX_CONFIRM_STEP_DOWNS) {
      return { ...figure, note: `median loss ${(chosen.loss * 100).toFixed(1)} % still at ${rate.toLocaleString('en-US')}/s (search edge ${passing.toLocaleString('en-US')}/s)` };
    }
    rate = Math.round(rate * (1 - CONFIRM_STEP));
  }
}

let clientAddressCounter = 0;

/**
 * A fresh loopback source address for each allocation client, cycling through 127.1.0.1–127.1.255.254.
 * Binding port 0 on one address reuses a just-closed port often enough that coturn, which keeps a
 * 5-tuple for a while after Refresh 0, answers 437 to several percent of allocations; real clients
 * come from many addresses anyway (and Parley's per-IP nonce cache gets no help from one address).
 */
function nextClientAddress(): string {
  clientAddressCounter = (clientAddressCounter % 65_534) + 1;
  return `127.1.${clientAddressCounter >> 8}.${clientAddressCounter & 255 || 1}`;
}

/** One allocation cycle from a fresh client address (a new 5-tuple): Allocate → 401 → authenticated Allocate → Refresh(lifetime 0). False when any step failed. */
async function allocationCycle(server: RunningServer, creds: LoadCredentials): Promise<boolean> {
  const client = await LoadTurnClient.open(server.port, '127.0.0.1', creds, { localHost: nextClientAddress(), dataSocket: false });
  try {
    await client.allocate();
    await client.release();
    return true;
  } catch {
    return false;
  } finally {
    client.close();
  }
}

/**
 * Authenticated allocations per second: ALLOCATION_WORKERS workers, each looping over a fresh client socket (a new
 * 5-tuple): Allocate → 401 → authenticated Allocate → Refresh(lifetime 0).
 */
async function allocationsPerSecond(server: RunningServer, creds: LoadCredentials): Promise<RateFigure> {
  const runs: { rate: number; cores: number; failed: number }[] = [];
  for (let run = 0; run < CONFIRM_RUNS; run++) {
    let completed = 0;
    let failed = 0;
    const cpuBefore = cpuSeconds(server.pid);
    const started = performance.now();
    const deadline = started + 3000;
    await Promise.all(
      Array.from({ length: ALLOCATION_WORKERS }, async () => {
        while (performance.now() < deadline) {
          if (await allocationCycle(server, creds)) completed++;
          else failed++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    runs.push({ rate: completed / seconds, cores: (cpuSeconds(server.pid) - cpuBefore) / seconds, failed });
  }
  const rate = median(runs.map((run) => run.rate));
  const chosen = runs.find((run) => run.rate === rate)!;
  return { packetsPerSecond: rate, lossPercent: 0, serverCores: chosen.cores };
}

interface PacedFigure {
  microsPerAllocation: number;
  completedPerSecond: number;
  /** Allocation cycles that failed over all counted windows (CPU per allocation divides by completed ones). */
  failed: number;
}

/**
 * Server CPU per authenticated allocation at one fixed offered rate, every server running side by
 * side and measured in interleaved windows (a different order each round), so that all of them see
 * the same background load and are warm. On a shared machine the closed-loop figure above mostly
 * measures how much of its core each server got; this one compares the work each does per
 * allocation. Returns, per server, the median of the windows.
 */
/**
 * Measures every server once per round, in a new random order each round, so that all of them
 * see the same background load; the first round warms them up (JIT, caches) and is not kept.
 * `window` returns undefined for a window with nothing to divide by.
 */
async function interleavedRounds<Sample>(servers: RunningServer[], rounds: number, window: (server: RunningServer) => Promise<Sample | undefined>): Promise<Map<ServerName, Sample[]>> {
  const samples = new Map<ServerName, Sample[]>(servers.map((server) => [server.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const server of [...servers].sort(() => Math.random() - 0.5)) {
      const sample = await window(server);
      if (round > 0 && sample !== undefined) samples.get(server.name)!.push(sample);
    }
  }
  return samples;
}

async function pacedAllocationCosts(names: ServerName[], creds: LoadCredentials): Promise<Map<ServerName, PacedFigure>> {
  const servers: RunningServer[] = [];
  for (const name of names) servers.push(await startServer(name, creds));
  let samples: Map<ServerName, { micros: number; rate: number; failed: number }[]>;
  try {
    samples = await interleavedRounds(servers, PACED_ROUNDS, async (server) => {
      let completed = 0;
      let failed = 0;
      let inFlight = 0;
      let launched = 0;
      const cycles: Promise<void>[] = [];
      const cpuBefore = cpuSeconds(server.pid);
      const started = performance.now();
      while (performance.now() - started < PACED_WINDOW_MS) {
        const due = Math.floor(((performance.now() - started) / 1000) * PACED_RATE);
        for (; launched < due && inFlight < 256; launched++) {
          inFlight++;
          cycles.push(
            allocationCycle(server, creds).then((ok) => {
              if (ok) completed++;
              else failed++;
              inFlight--;
            }),
          );
        }
        await delay(5);
      }
      await Promise.all(cycles);
      const seconds = (performance.now() - started) / 1000;
      return completed > 0 ? { micros: ((cpuSeconds(server.pid) - cpuBefore) * 1e6) / completed, rate: completed / seconds, failed } : undefined;
    });
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
  return new Map(
    names.map((name) => {
      const list = samples.get(name)!;
      return [name, { microsPerAllocation: median(list.map((sample) => sample.micros)), completedPerSecond: median(list.map((sample) => sample.rate)), failed: list.reduce((sum, sample) => sum + sample.failed, 0) }];
    }),
  );
}

interface PacedPacketFigure {
  microsPerPacket: number;
  /** The worst loss of any counted window (a window that lost packets still counts: CPU is divided by packets delivered). */
  maxLossPercent: number;
}

/**
 * Server CPU per client-to-client ChannelData packet at one fixed offered rate, below every
 * server's edge, the servers side by side and measured in interleaved windows like the paced
 * allocations. The loss searches above find where a server starts to drop, which on shared
 * cores moves by tens of per cent between runs; this compares the work each does per packet.
 * node-turn is left out: it relays no ChannelData.
 */
async function pacedPacketCosts(names: ServerName[], creds: LoadCredentials): Promise<Map<ServerName, PacedPacketFigure>> {
  const eligible = names.filter((name) => name !== 'node-turn');
  const pairsOf = new Map<RunningServer, Pair[]>();
  let samples: Map<ServerName, { micros: number; loss: number }[]>;
  try {
    for (const name of eligible) {
      const server = await startServer(name, creds);
      pairsOf.set(server, []); // stopped in `finally` even if opening its pairs fails
      pairsOf.set(server, await openPairs(server, creds, 'channel', 100));
    }
    samples = await interleavedRounds([...pairsOf.keys()], PACED_PACKET_ROUNDS, async (server) => {
      const result = await trial(server, pairsOf.get(server)!, PACED_PACKET_RATE);
      return result.received > 0 ? { micros: (result.serverCores / result.deliveredPerSecond) * 1e6, loss: result.loss } : undefined;
    });
  } finally {
    for (const [server, pairs] of pairsOf) {
      await closePairs(pairs);
      await server.stop();
    }
  }
  return new Map(
    eligible.map((name) => {
      const list = samples.get(name)!;
      return [name, { microsPerPacket: median(list.map((sample) => sample.micros)), maxLossPercent: Math.max(...list.map((sample) => sample.loss)) * 100 }];
    }),
  );
}

interface ServerFigures {
  channel100?: RateFigure;
  channel1000?: RateFigure;
  send100?: RateFigure;
  allocations?: RateFigure;
  errors: string[];
}

async function measure(name: ServerName): Promise<ServerFigures> {
  const figures: ServerFigures = { errors: [] };
  const creds = credentials();
  const workloads: [keyof Omit<ServerFigures, 'errors'>, () => Promise<RateFigure>][] = [];
  let server = await startServer(name, creds);
  const withPairs = (mode: 'channel' | 'send', bytes: number) => async () => {
    const pairs = await openPairs(server, creds, mode, bytes);
    try {
      return await maxLosslessRate(server, pairs);
    } finally {
      await closePairs(pairs);
    }
  };
  workloads.push(['channel100', withPairs('channel', 100)], ['channel1000', withPairs('channel', 1000)], ['send100', withPairs('send', 100)], ['allocations', () => allocationsPerSecond(server, creds)]);
  for (const [key, run] of workloads) {
    if (!WORKLOADS.includes(key)) continue;
    process.stderr.write(`[bench] ${name}: ${key}\n`);
    try {
      figures[key] = await run();
    } catch (error) {
      figures.errors.push(`${key}: ${(error as Error).message}`);
      // A server that wedged is restarted for the next workload.
      await server.stop();
      server = await startServer(name, creds);
    }
  }
  await server.stop();
  return figures;
}

function format(figure: RateFigure | undefined): string {
  if (!figure) return 'failed';
  if (figure.note) return figure.note;
  const perCpuSecond = figure.serverCores > 0 ? Math.round(figure.packetsPerSecond / figure.serverCores).toLocaleString('en-US') : '—';
  const searched = figure.searchedRate !== undefined && figure.searchedRate !== figure.packetsPerSecond ? `; search edge ${figure.searchedRate.toLocaleString('en-US')}` : '';
  const core = figure.serverCpuBusy !== undefined ? `, CPU ${SERVER_CPU} busy ${figure.serverCpuBusy.toFixed(2)} of which softirq ${figure.serverCpuSoftirq!.toFixed(2)}` : '';
  return `${Math.round(figure.packetsPerSecond).toLocaleString('en-US')} (server ${figure.serverCores.toFixed(2)} cores${core} → ${perCpuSecond} per CPU-s; loss ${figure.lossPercent.toFixed(2)} %${searched})`;
}

function ratio(ours: RateFigure | undefined, theirs: RateFigure | undefined): string {
  if (!ours || !theirs || theirs.packetsPerSecond === 0) return theirs && theirs.packetsPerSecond === 0 && ours ? '∞ (baseline delivers nothing)' : 'n/a';
  return `${(ours.packetsPerSecond / theirs.packetsPerSecond).toFixed(2)}×`;
}

async function main(): Promise<void> {
  execFileSync('taskset', ['-pc', CLIENT_CPU, String(process.pid)], { stdio: 'ignore' });
  const results = new Map<string, ServerFigures>();
  process.stderr.write(`[bench] load average before: ${loadavg().map((value) => value.toFixed(2)).join(', ')}\n`);
  for (const name of SERVERS as ServerName[]) if (WORKLOADS.some((key) => !SIDE_BY_SIDE_WORKLOADS.includes(key))) results.set(name, await measure(name));
  let paced: Map<ServerName, PacedFigure> | undefined;
  if (WORKLOADS.includes('allocations-paced')) {
    process.stderr.write(`[bench] allocations at ${PACED_RATE}/s, servers side by side\n`);
    paced = await pacedAllocationCosts(SERVERS as ServerName[], credentials());
  }
  let pacedPackets: Map<ServerName, PacedPacketFigure> | undefined;
  if (WORKLOADS.includes('channel-paced')) {
    process.stderr.write(`[bench] ChannelData 100 B at ${PACED_PACKET_RATE}/s, servers side by side\n`);
    pacedPackets = await pacedPacketCosts(SERVERS as ServerName[], credentials());
  }
  const rows = (
    [
      ['client-to-client ChannelData pkts/s, 100 B, ≤0.5 % loss', 'channel100'],
      ['client-to-client ChannelData pkts/s, 1000 B, ≤0.5 % loss', 'channel1000'],
      ['client-to-client Send/Data indication pkts/s, 100 B, ≤0.5 % loss', 'send100'],
      ['authenticated allocations/s (Allocate + Refresh 0)', 'allocations'],
    ] as [string, keyof Omit<ServerFigures, 'errors'>][]
  ).filter(([, key]) => WORKLOADS.includes(key));
  const lines: string[] = [];
  lines.push(`# TURN benchmark — ${new Date().toISOString()}`);
  lines.push(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; servers pinned to CPU ${SERVER_CPU}, load client to CPU ${CLIENT_CPU} on ${CLIENT_IO.kind} UDP I/O; ${PAIRS} client pairs; trials of ${TRIAL_MS} ms; median of ${CONFIRM_RUNS}`);
  lines.push(`load average at the end: ${loadavg().map((value) => value.toFixed(2)).join(', ')} (the 2 cores are shared; "per CPU-s" divides by the CPU time the server actually got)`);
  lines.push(
    `"server … cores": the server process's CPU-seconds per second of sending (its catching up in the ${DRAIN_MS} ms drain after a trial counts too, so ≥ 1.00 means saturated); ` +
      `"CPU ${SERVER_CPU} busy": everything that CPU did in the same time (tick-sampled from /proc/stat, so only meaningful near saturation), and its softirq part: the kernel delivering loopback datagrams, mostly inside the server's own system calls`,
  );
  if (rows.length > 0) {
    lines.push('');
    lines.push(`| workload | ${SERVERS.join(' | ')} | parley / coturn | parley-no-hairpin / coturn | parley / node-turn | parley / parley-dgram |`);
    lines.push(`|---|${SERVERS.map(() => '---').join('|')}|---|---|---|---|`);
    for (const [label, key] of rows) {
      const cells = SERVERS.map((name) => format(results.get(name)?.[key]));
      const of = (name: string) => results.get(name)?.[key];
      lines.push(`| ${label} | ${cells.join(' | ')} | ${ratio(of('parley'), of('coturn'))} | ${ratio(of('parley-no-hairpin'), of('coturn'))} | ${ratio(of('parley'), of('node-turn'))} | ${ratio(of('parley'), of('parley-dgram'))} |`);
    }
    lines.push('');
    lines.push('CPU-normalised (packets or allocations per second of server CPU; robust when the machine is shared):');
    lines.push('');
    lines.push(`| workload | ${SERVERS.join(' | ')} | parley / coturn | parley-no-hairpin / coturn | parley / node-turn | parley / parley-dgram |`);
    lines.push(`|---|${SERVERS.map(() => '---').join('|')}|---|---|---|---|`);
    const perCpu = (figure: RateFigure | undefined) => (figure && figure.serverCores > 0 && figure.packetsPerSecond > 0 ? figure.packetsPerSecond / figure.serverCores : 0);
    const cpuRatio = (ours: RateFigure | undefined, theirs: RateFigure | undefined) => (perCpu(theirs) > 0 && perCpu(ours) > 0 ? `${(perCpu(ours) / perCpu(theirs)).toFixed(2)}×` : 'n/a');
    for (const [label, key] of rows) {
      const of = (name: string) => results.get(name)?.[key];
      const cells = SERVERS.map((name) => (perCpu(of(name)) > 0 ? Math.round(perCpu(of(name))).toLocaleString('en-US') : 'n/a'));
      lines.push(`| ${label} | ${cells.join(' | ')} | ${cpuRatio(of('parley'), of('coturn'))} | ${cpuRatio(of('parley-no-hairpin'), of('coturn'))} | ${cpuRatio(of('parley'), of('node-turn'))} | ${cpuRatio(of('parley'), of('parley-dgram'))} |`);
    }
  }
  if (paced) {
    const of = (name: string) => paced.get(name as ServerName);
    const perCpuSecond = (name: string) => (of(name) ? 1e6 / of(name)!.microsPerAllocation : 0);
    const vs = (ours: string, theirs: string) => (perCpuSecond(ours) > 0 && perCpuSecond(theirs) > 0 ? `${(perCpuSecond(ours) / perCpuSecond(theirs)).toFixed(2)}×` : 'n/a');
    lines.push('');
    lines.push(`Allocations at a fixed ${PACED_RATE}/s offered, servers side by side in interleaved ${PACED_WINDOW_MS / 1000} s windows (median of ${PACED_ROUNDS - 1} after a warm-up round):`);
    lines.push('');
    lines.push(`| | ${SERVERS.join(' | ')} | parley / coturn | parley-no-hairpin / coturn | parley / node-turn |`);
    lines.push(`|---|${SERVERS.map(() => '---').join('|')}|---|---|---|`);
    lines.push(`| server CPU per allocation (µs) | ${SERVERS.map((name) => (of(name) ? Math.round(of(name)!.microsPerAllocation).toLocaleString('en-US') : 'n/a')).join(' | ')} | | | |`);
    lines.push(`| allocations per CPU-second | ${SERVERS.map((name) => (perCpuSecond(name) > 0 ? Math.round(perCpuSecond(name)).toLocaleString('en-US') : 'n/a')).join(' | ')} | ${vs('parley', 'coturn')} | ${vs('parley-no-hairpin', 'coturn')} | ${vs('parley', 'node-turn')} |`);
    lines.push(`| allocations/s completed | ${SERVERS.map((name) => (of(name) ? Math.round(of(name)!.completedPerSecond).toLocaleString('en-US') : 'n/a')).join(' | ')} | | | |`);
    lines.push(`| failed cycles (all windows) | ${SERVERS.map((name) => (of(name) ? String(of(name)!.failed) : 'n/a')).join(' | ')} | | | |`);
  }
  if (pacedPackets) {
    const of = (name: string) => pacedPackets.get(name as ServerName);
    const perCpuSecond = (name: string) => (of(name) ? 1e6 / of(name)!.microsPerPacket : 0);
    const vs = (ours: string, theirs: string) => (perCpuSecond(ours) > 0 && perCpuSecond(theirs) > 0 ? `${(perCpuSecond(ours) / perCpuSecond(theirs)).toFixed(2)}×` : 'n/a');
    const cell = (name: string, value: (figure: PacedPacketFigure) => string) => (of(name) ? value(of(name)!) : 'n/a');
    lines.push('');
    lines.push(
      `Client-to-client ChannelData (100 B) at a fixed ${PACED_PACKET_RATE.toLocaleString('en-US')}/s offered, servers side by side in interleaved ${TRIAL_MS / 1000} s windows (median of ${PACED_PACKET_ROUNDS - 1} after a warm-up round; node-turn relays no ChannelData):`,
    );
    lines.push('');
    lines.push(`| | ${SERVERS.join(' | ')} | parley / coturn | parley-no-hairpin / coturn | parley / parley-dgram |`);
    lines.push(`|---|${SERVERS.map(() => '---').join('|')}|---|---|---|`);
    lines.push(`| server CPU per packet (µs) | ${SERVERS.map((name) => cell(name, (figure) => figure.microsPerPacket.toFixed(1))).join(' | ')} | | | |`);
    lines.push(`| packets per CPU-second | ${SERVERS.map((name) => (perCpuSecond(name) > 0 ? Math.round(perCpuSecond(name)).toLocaleString('en-US') : 'n/a')).join(' | ')} | ${vs('parley', 'coturn')} | ${vs('parley-no-hairpin', 'coturn')} | ${vs('parley', 'parley-dgram')} |`);
    lines.push(`| worst loss of a counted window | ${SERVERS.map((name) => cell(name, (figure) => `${figure.maxLossPercent.toFixed(2)} %`)).join(' | ')} | | | |`);
  }
  for (const [name, figures] of results) for (const error of figures.errors) lines.push(`- ${name}: ${error}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:turn failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
