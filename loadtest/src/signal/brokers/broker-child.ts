import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinnedCommand } from '../../common/cpu-pinning.js';
import type { BrokerMemorySample, BrokerReply, BrokerRequest } from './broker-process.js';
import type { BrokerKind, BrokerOptions } from './start-broker.js';

/**
 * The parent's handle on a broker running in its own (optionally pinned) process. Needs the
 * compiled broker-process.js next to this file (`npm run build`).
 */
export interface BrokerChild {
  readonly kind: BrokerKind;
  readonly pid: number;
  readonly port: number;
  memory(): Promise<BrokerMemorySample>;
  /** Writes a V8 heap snapshot (after GC) of the broker to `path`, for finding what each connection costs. */
  heapSnapshot(path: string): Promise<string>;
  stop(): Promise<void>;
}

export interface SpawnBrokerOptions {
  kind: BrokerKind;
  options?: BrokerOptions;
  /** Core to pin the broker to; unpinned when undefined. */
  cpu?: number;
  /** Write a V8 CPU profile of the broker here (node --cpu-prof) when it stops. */
  cpuProfileDir?: string;
  startTimeoutMs?: number;
}

const BROKER_ENTRY = fileURLToPath(new URL('./broker-process.js', import.meta.url));

function nextReply(child: ChildProcess, timeoutMs: number, what: string): Promise<BrokerReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`broker did not answer ${what} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: BrokerReply) => {
      if (message.type === 'failed') finish(new Error(`broker failed during ${what}: ${message.message}`));
      else finish(null, message);
    };
    const onExit = (code: number | null, signal: string | null) => finish(new Error(`broker exited (${code ?? signal}) during ${what}`));
    const finish = (error: Error | null, message?: BrokerReply) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function spawnBroker(options: SpawnBrokerOptions): Promise<BrokerChild> {
  if (BROKER_ENTRY.endsWith('.ts')) throw new Error('spawnBroker runs the compiled broker-process.js: use the built @parley/loadtest (npm run build)');
  const nodeArgs = ['--expose-gc'];
  if (options.cpuProfileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  const { command, args } = pinnedCommand(options.cpu, process.execPath, [...nodeArgs, BROKER_ENTRY]);
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let exited = false;
  child.once('exit', () => (exited = true));
  const request = (message: BrokerRequest) => child.send(message);
  try {
    const readyReply = nextReply(child, options.startTimeoutMs ?? 20_000, 'start');
    request({ type: 'start', kind: options.kind, options: options.options ?? {} });
    const ready = await readyReply;
    if (ready.type !== 'ready') throw new Error(`unexpected broker reply ${ready.type}`);
    return {
      kind: options.kind,
      pid: child.pid!,
      port: ready.port,
      memory: async () => {
        const answer = nextReply(child, 10_000, 'memory');
        request({ type: 'memory' });
        const sample = await answer;
        if (sample.type !== 'memory') throw new Error(`unexpected broker reply ${sample.type}`);
        const { type: _type, ...memory } = sample;
        return memory;
      },
      heapSnapshot: async (path: string) => {
        const answer = nextReply(child, 120_000, 'heap-snapshot');
        request({ type: 'heap-snapshot', path });
        const written = await answer;
        if (written.type !== 'heap-snapshot') throw new Error(`unexpected broker reply ${written.type}`);
        return written.path;
      },
      stop: async () => {
        if (exited) return;
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        request({ type: 'stop' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(timer);
      },
    };
  } catch (error) {
    if (!exited) child.kill('SIGKILL');
    throw error;
  }
}
