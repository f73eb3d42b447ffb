import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PARLEY = fileURLToPath(new URL('../bin/parley.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/parley.js', import.meta.url));

/** The CLI tests run the built `parley` (as users do); `npm test` builds first. */
export function assertBuilt(): void {
  if (!existsSync(BUILT)) throw new Error('cli/dist is missing: run `npm run build` first (npm test does)');
}

export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves when the output matches. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runParley(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Spawned {
  assertBuilt();
  const child = spawn(process.execPath, [PARLEY, ...args], { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => output,
    exited,
    waitForOutput(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`output did not match ${pattern} within ${timeoutMs} ms:\n${output.slice(-3000)}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => setTimeout(() => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`parley exited before its output matched ${pattern}:\n${output.slice(-3000)}`));
          }
        }, 50));
        check();
      });
    },
  };
}

/** Environment without any PARLEY_* settings of the machine running the tests. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PARLEY_') && name !== 'UWS_USE_FALLBACK'));
  return { ...env, ...extra };
}
