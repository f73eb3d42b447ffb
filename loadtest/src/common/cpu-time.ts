import { readFileSync } from 'node:fs';

/**
 * CPU time actually spent by a process, all threads together. On a shared, noisy machine
 * "messages per CPU-second" is far steadier than "messages per second": time stolen by other
 * processes does not count against the process under test.
 */

/** Linux's USER_HZ: /proc reports CPU times in these ticks (100 on every mainstream kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds of process `pid` so far, from /proc/<pid>/stat (10 ms resolution). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5), i.e. 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** User + system CPU seconds of this process so far (µs resolution). */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Where one CPU's time went so far, in seconds, from /proc/stat. */
export interface CoreTimes {
  /** Running anything: user, nice, system, irq and softirq. */
  busySeconds: number;
  /**
   * Interrupt work, softirq above all. A datagram sent over loopback is received in the sending
   * CPU's softirq, usually run at the end of the sender's system call (and then counted in that
   * process's system time as well). Tick-sampled: exact only over many busy ticks.
   */
  softirqSeconds: number;
}

/** CPU `cpu`'s times so far (the `cpuN` line of /proc/stat). */
export function coreTimes(cpu: number): CoreTimes {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((candidate) => candidate.startsWith(`cpu${cpu} `));
  if (!line) throw new Error(`/proc/stat has no line for cpu${cpu}`);
  // user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  return { busySeconds: (user! + nice! + system! + irq! + softirq!) / CLOCK_TICKS_PER_SECOND, softirqSeconds: (irq! + softirq!) / CLOCK_TICKS_PER_SECOND };
}

export interface CpuSample {
  generatorSeconds: number;
  /** Null when the broker runs in this process (tests) or its /proc entry cannot be read. */
  brokerSeconds: number | null;
}

export type CpuProbe = () => CpuSample;

export function cpuProbe(brokerPid: number | null): CpuProbe {
  return () => {
    let brokerSeconds: number | null = null;
    if (brokerPid !== null) {
      try {
        brokerSeconds = processCpuSeconds(brokerPid);
      } catch {
        brokerSeconds = null;
      }
    }
    return { generatorSeconds: ownCpuSeconds(), brokerSeconds };
  };
}
