import { writeHeapSnapshot } from 'node:v8';
import { residentBytes } from '../../common/machine.js';
import { startBroker, type BrokerKind, type BrokerOptions, type RunningBroker } from './start-broker.js';

/**
 * Child-process entry that hosts one broker, so the benchmark can pin it to its own core
 * (`taskset -c 0 node broker-process.js`) and read its memory alone. Driven over the IPC channel:
 *   parent → { type: 'start', kind, options } | { type: 'memory' } | { type: 'heap-snapshot', path } | { type: 'stop' }
 *   child  → { type: 'ready', port } | { type: 'memory', ... } | { type: 'heap-snapshot', path } | { type: 'failed', message }
 * Run with --expose-gc so memory samples are taken after a full collection.
 */
export type BrokerRequest =
  | { type: 'start'; kind: BrokerKind; options: BrokerOptions }
  | { type: 'memory' }
  | { type: 'heap-snapshot'; path: string }
  | { type: 'stop' };

export interface BrokerMemorySample {
  rssBytes: number;
  /** V8 heap reserved (committed) vs live after GC. */
  heapTotalBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
}

export type BrokerReply =
  | { type: 'ready'; port: number }
  | ({ type: 'memory' } & BrokerMemorySample)
  | { type: 'heap-snapshot'; path: string }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };

function reply(message: BrokerReply): void {
  process.send?.(message);
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  // Twice: the first pass may only schedule finalizers whose memory the second frees.
  gc?.();
  gc?.();
}

if (!process.send) {
  process.stderr.write('broker-process.js is started by the benchmark with an IPC channel\n');
  process.exit(2);
}

let broker: RunningBroker | null = null;
process.on('message', (request: BrokerRequest) => {
  void (async () => {
    try {
      if (request.type === 'start') {
        broker = await startBroker(request.kind, request.options);
        reply({ type: 'ready', port: broker.port });
      } else if (request.type === 'memory') {
        collectGarbage();
        await new Promise((resolve) => setTimeout(resolve, 200));
        collectGarbage();
        const usage = process.memoryUsage();
        reply({ type: 'memory', rssBytes: residentBytes(), heapTotalBytes: usage.heapTotal, heapUsedBytes: usage.heapUsed, externalBytes: usage.external, arrayBuffersBytes: usage.arrayBuffers });
      } else if (request.type === 'heap-snapshot') {
        collectGarbage();
        reply({ type: 'heap-snapshot', path: writeHeapSnapshot(request.path) });
      } else if (request.type === 'stop') {
        await broker?.stop();
        reply({ type: 'stopped' });
        // process.exit (not a kill) so --cpu-prof writes its profile.
        setTimeout(() => process.exit(0), 50);
      }
    } catch (error) {
      reply({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  })();
});
// The benchmark went away: do not linger.
process.on('disconnect', () => process.exit(0));
