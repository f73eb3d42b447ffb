import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ChildSpec } from './child-spec.js';

interface Running {
  spec: ChildSpec;
  process: ChildProcess;
  exited: Promise<number | null>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;

/**
 * Starts child processes one after another (each must answer its readiness URL before the
 * next starts), prefixes their output with their name, and stops them all, last started first,
 * on request or as soon as one of them dies.
 */
export class Supervisor {
  private readonly running: Running[] = [];
  private stopping: Promise<void> | undefined;
  /** Resolves with the first child that exits while we are not stopping. */
  readonly crashed: Promise<{ name: string; code: number | null }>;
  private reportCrash!: (crash: { name: string; code: number | null }) => void;

  constructor(private readonly write: (line: string) => void) {
    this.crashed = new Promise((resolve) => {
      this.reportCrash = resolve;
    });
  }

  async start(specs: readonly ChildSpec[]): Promise<void> {
    for (const spec of specs) {
      const child = spawn(spec.command, spec.args, { env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream! }).on('line', (line) => this.write(`[${spec.name}] ${line}`));
      }
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? null : 0))));
      const running: Running = { spec, process: child, exited };
      this.running.push(running);
      void exited.then((code) => {
        if (!this.stopping) this.reportCrash({ name: spec.name, code });
      });
      await this.waitReady(running);
    }
  }

  private async waitReady(running: Running): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let exitedEarly = false;
    void running.exited.then(() => {
      exitedEarly = true;
    });
    while (Date.now() < deadline) {
      if (exitedEarly) throw new Error(`${running.spec.name} exited before it was ready`);
      try {
        const response = await fetch(running.spec.readinessUrl, { signal: AbortSignal.timeout(2000) });
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(`${running.spec.name} was not ready at ${running.spec.readinessUrl} within ${READY_TIMEOUT_MS / 1000} s`);
  }

  /** SIGTERM to every child, last started first; SIGKILL to any still running after the grace period. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const running of [...this.running].reverse()) {
        if (running.process.exitCode !== null || running.process.signalCode !== null) continue;
        running.process.kill('SIGTERM');
        const timer = setTimeout(() => running.process.kill('SIGKILL'), STOP_GRACE_MS);
        await running.exited;
        clearTimeout(timer);
      }
    })();
    return this.stopping;
  }
}
