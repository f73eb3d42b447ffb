import type { ParleyError } from '../errors.js';

/**
 * When to try reconnecting. The client asks the policy after every failed attempt; a number is the
 * delay before the next attempt, `null` means give up. Apps plug in their own (for example to stop
 * after the user navigates away, or to retry forever on kiosks).
 */
export interface ReconnectContext {
  /** 1 for the first retry after the connection dropped. */
  attempt: number;
  /** Milliseconds since the connection dropped. */
  elapsedMs: number;
  /** Why the last attempt (or the original connection) failed. */
  error: ParleyError;
}

export interface ReconnectPolicy {
  nextDelayMs(context: ReconnectContext): number | null;
}

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  initialDelayMs?: number;
  /** Ceiling of the exponential part. */
  maxDelayMs?: number;
  multiplier?: number;
  /** Give up once the connection has been down this long. */
  maxElapsedMs?: number;
  /** Fraction of each delay that is randomised: 0 = none, 1 = "full jitter". */
  jitterRatio?: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
}

export const DEFAULT_BACKOFF = {
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  multiplier: 2,
  maxElapsedMs: 5 * 60_000,
  jitterRatio: 0.5,
} as const;

/**
 * Exponential backoff with jitter. The first retry comes quickly (a blip should heal inside the
 * server's resume grace period); later ones spread out so that a restarted server is not hit by
 * every client at the same instant. Non-retryable errors (bad token, kicked, replaced) stop at once.
 */
export function jitteredBackoff(options: BackoffOptions = {}): ReconnectPolicy {
  const initialDelayMs = options.initialDelayMs ?? DEFAULT_BACKOFF.initialDelayMs;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs;
  const multiplier = options.multiplier ?? DEFAULT_BACKOFF.multiplier;
  const maxElapsedMs = options.maxElapsedMs ?? DEFAULT_BACKOFF.maxElapsedMs;
  const jitterRatio = Math.min(1, Math.max(0, options.jitterRatio ?? DEFAULT_BACKOFF.jitterRatio));
  const random = options.random ?? Math.random;
  return {
    nextDelayMs({ attempt, elapsedMs, error }) {
      if (!error.retryable) return null;
      if (elapsedMs >= maxElapsedMs) return null;
      const ceiling = Math.min(maxDelayMs, initialDelayMs * multiplier ** Math.max(0, attempt - 1));
      // The server may name its own wait (drain, rate limit); never come back sooner than that.
      const floor = error.retryAfterMs ?? 0;
      const delay = ceiling * (1 - jitterRatio) + ceiling * jitterRatio * random();
      return Math.round(Math.max(floor, delay));
    },
  };
}
