/**
 * Time, passed in. Everything in the broker that reads the time or waits (room timeouts, resume
 * grace, token buckets, TURN refresh, JWT validity, webhook backoff, history sampling) goes
 * through one Clock, so tests can drive it with a FakeClock and no test ever sleeps for a timeout.
 */
export interface TimerHandle {
  /** Cancels the timer; calling it twice, or after it fired, does nothing. */
  cancel(): void;
}

export interface Clock {
  /** Unix epoch milliseconds. */
  now(): number;
  /** Runs `callback` once after `delayMs`. The timer never keeps the process alive on its own. */
  setTimer(delayMs: number, callback: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
