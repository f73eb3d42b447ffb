import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

/**
 * What a benchmark ran on, printed with its figures: figures without the machine mean little.
 */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  nodeVersion: string;
  memoryGiB: number;
  /** 1-minute load average when the run started: a busy machine makes noisy figures. */
  loadAverage1m: number;
  kernel: string;
}

export function describeMachine(): MachineInfo {
  let cpuModel = 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // Not Linux: the model stays unknown.
  }
  let kernel = 'unknown';
  try {
    kernel = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim();
  } catch {
    // uname missing: leave it unknown.
  }
  return {
    cpus: cpus().length,
    cpuModel,
    nodeVersion: process.version,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    kernel,
  };
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function residentBytes(pid: number | 'self' = 'self'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1]);
  if (!Number.isFinite(kib)) throw new Error(`no VmRSS for process ${pid}`);
  return kib * 1024;
}
