import type { Clock, TimerHandle } from './clock.js';

interface PendingTimer {
  dueMs: number;
  order: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * A Clock that moves only when told to. `advance(ms)` fires every timer that falls due, in due
 * order (timers scheduled by a firing callback fire too when they are due within the advance).
 * Exported for tests of this package and of packages that start the server programmatically.
 */
export class FakeClock implements Clock {
  private currentMs: number;
  private order = 0;
  private readonly timers: PendingTimer[] = [];

  constructor(startMs = Date.UTC(2030, 0, 1)) {
    this.currentMs = startMs;
  }

  now(): number {
    return this.currentMs;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const timer: PendingTimer = { dueMs: this.currentMs + Math.max(0, delayMs), order: this.order++, callback, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Number of timers still waiting to fire. */
  get pendingTimers(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }

  advance(ms: number): void {
    const targetMs = this.currentMs + ms;
    for (;;) {
      const next = this.nextDue(targetMs);
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.currentMs = Math.max(this.currentMs, next.dueMs);
      if (!next.cancelled) next.callback();
    }
    this.currentMs = targetMs;
  }

  private nextDue(limitMs: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (timer.dueMs > limitMs) continue;
      if (!best || timer.dueMs < best.dueMs || (timer.dueMs === best.dueMs && timer.order < best.order)) best = timer;
    }
    return best;
  }
}
