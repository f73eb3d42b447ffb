import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { coreTimes, processCpuSeconds } from './cpu-time.js';
import { tasksetAvailable } from './cpu-pinning.js';

/** Runs a busy loop of `ms` in a child process pinned to `cpu`; returns the child's CPU-seconds as Node counted them. */
function spinOn(cpu: number, ms: number): number {
  const script = `const end = Date.now() + ${ms}; while (Date.now() < end); const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1e6));`;
  return Number(execFileSync('taskset', ['-c', String(cpu), process.execPath, '-e', script], { encoding: 'utf8' }));
}

describe('CPU time from /proc', () => {
  it('counts the busy time of the core a process ran on', () => {
    expect(tasksetAvailable(), 'this test needs `taskset` (Debian package util-linux)').toBe(true);
    const before = coreTimes(0);
    const childSeconds = spinOn(0, 400);
    const after = coreTimes(0);
    // Ticks are 10 ms and other processes may run on the core too: at least the child's spin.
    expect(after.busySeconds - before.busySeconds).toBeGreaterThanOrEqual(Math.min(childSeconds, 0.4) - 0.05);
    expect(after.softirqSeconds).toBeGreaterThanOrEqual(before.softirqSeconds);
    expect(after.busySeconds).toBeGreaterThanOrEqual(after.softirqSeconds);
  });

  it('reads a process its own CPU time, and refuses a CPU the machine does not have', () => {
    expect(processCpuSeconds(process.pid)).toBeGreaterThan(0);
    expect(() => coreTimes(4096)).toThrow(/no line for cpu4096/);
  });
});
