import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Runs the built dashboard as its own process (`node dashboard/dist/process/main.js`, what
 * `parley dashboard` runs) on 127.0.0.1 port 0, and reads its JSON log lines. Next.js stays out
 * of the test runner's process.
 */
const MAIN = fileURLToPath(new URL('../../dist/process/main.js', import.meta.url));

export interface DashboardProcess {
  url: string;
  /** Every parsed log line so far. */
  logs: Record<string, unknown>[];
  /** Raw stdout + stderr, for assertions that nothing secret was printed. */
  output(): string;
  stop(): Promise<void>;
}

export async function spawnDashboard(options: { signalUrl: string; env?: Record<string, string> }): Promise<DashboardProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      NEXT_TELEMETRY_DISABLED: '1',
      PARLEY_DASHBOARD_HTTP__HOST: '127.0.0.1',
      PARLEY_DASHBOARD_HTTP__PORT: '0',
      PARLEY_DASHBOARD_SIGNAL__URL: options.signalUrl,
      PARLEY_DASHBOARD_LIVE__REFRESH_INTERVAL_MS: '1000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let raw = '';
  let pending = '';
  const listening = new Promise<string>((resolve, reject) => {
    const onLine = (line: string) => {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        logs.push(parsed);
        if (parsed.msg === 'dashboard listening') resolve(String(parsed.url));
      } catch {
        // Not a log line (Next prints a few plain lines).
      }
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      lines.forEach(onLine);
    });
    child.stderr!.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`dashboard exited before listening (${code ?? signal}):\n${raw}`)));
  });
  const timeout = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`dashboard did not start in 60 s:\n${raw}`)), 60_000).unref());
  let url: string;
  try {
    url = await Promise.race([listening, timeout]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    logs,
    output: () => raw,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
