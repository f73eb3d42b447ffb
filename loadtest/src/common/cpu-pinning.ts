import { execFileSync } from 'node:child_process';

/**
 * Pinning processes to cores with util-linux `taskset`, so a benchmark's server and load
 * generator do not compete for the same core (and their figures say which core did what).
 */
export function tasksetAvailable(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The command prefix that starts a program on `cpu`, or nothing when `cpu` is undefined. */
export function pinnedCommand(cpu: number | undefined, command: string, args: readonly string[]): { command: string; args: string[] } {
  if (cpu === undefined) return { command, args: [...args] };
  if (!tasksetAvailable()) throw new Error('pinning to a core needs `taskset` (Debian package util-linux)');
  return { command: 'taskset', args: ['-c', String(cpu), command, ...args] };
}

/** Moves this process (all its threads) onto `cpu`; later threads inherit it. Returns the new mask. */
export function pinSelf(cpu: number): string {
  if (!tasksetAvailable()) throw new Error('pinning to a core needs `taskset` (Debian package util-linux)');
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' });
  return execFileSync('taskset', ['-p', '-c', String(process.pid)], { encoding: 'utf8' }).trim().split(':').pop()!.trim();
}
