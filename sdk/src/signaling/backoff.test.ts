import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors.js';
import { jitteredBackoff } from './backoff.js';

const lost = new ParleyError('CONNECTION_FAILED');

describe('jitteredBackoff', () => {
  it('grows exponentially up to the ceiling when the jitter source returns its maximum', () => {
    const policy = jitteredBackoff({ initialDelayMs: 100, multiplier: 2, maxDelayMs: 1_000, jitterRatio: 0.5, random: () => 0.999999 });
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => policy.nextDelayMs({ attempt, elapsedMs: 0, error: lost }));
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('keeps every delay between (1 - jitterRatio) and 1 times the exponential step', () => {
    for (const random of [0, 0.25, 0.5, 0.75, 0.999]) {
      const policy = jitteredBackoff({ initialDelayMs: 1_000, jitterRatio: 0.5, random: () => random });
      const delay = policy.nextDelayMs({ attempt: 1, elapsedMs: 0, error: lost })!;
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(1_000);
    }
  });

  it('spreads clients apart: different random draws give different delays', () => {
    const a = jitteredBackoff({ random: () => 0.1 }).nextDelayMs({ attempt: 3, elapsedMs: 0, error: lost });
    const b = jitteredBackoff({ random: () => 0.9 }).nextDelayMs({ attempt: 3, elapsedMs: 0, error: lost });
    expect(a).not.toBe(b);
  });

  it('gives up once the connection has been down longer than maxElapsedMs', () => {
    const policy = jitteredBackoff({ maxElapsedMs: 30_000 });
    expect(policy.nextDelayMs({ attempt: 2, elapsedMs: 29_999, error: lost })).not.toBeNull();
    expect(policy.nextDelayMs({ attempt: 9, elapsedMs: 30_000, error: lost })).toBeNull();
  });

  it('stops at once on errors that retrying cannot fix (expired token, kicked)', () => {
    const policy = jitteredBackoff();
    expect(policy.nextDelayMs({ attempt: 1, elapsedMs: 0, error: new ParleyError('TOKEN_EXPIRED') })).toBeNull();
    expect(policy.nextDelayMs({ attempt: 1, elapsedMs: 0, error: new ParleyError('KICKED') })).toBeNull();
  });

  it("never retries sooner than the server's advertised delay (drain, rate limit)", () => {
    const policy = jitteredBackoff({ initialDelayMs: 100, random: () => 0 });
    const error = new ParleyError('DRAINING', undefined, { retryAfterMs: 2_500 });
    expect(policy.nextDelayMs({ attempt: 1, elapsedMs: 0, error })).toBe(2_500);
  });
});
