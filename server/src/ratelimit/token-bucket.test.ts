import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';
import { UserLimits } from './user-limits.js';

describe('TokenBucket', () => {
  it('allows a burst up to its capacity, then refuses', () => {
    const bucket = new TokenBucket(3, 1, 0);
    expect([bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0)]).toEqual([true, true, true, false]);
  });

  it('refills continuously at its rate and never above capacity', () => {
    const bucket = new TokenBucket(2, 4, 0);
    bucket.tryTake(0, 2);
    expect(bucket.tryTake(100)).toBe(false);
    expect(bucket.tryTake(250)).toBe(true);
    expect(bucket.available(60_000)).toBe(2);
  });

  it('says how long until enough tokens are back', () => {
    const bucket = new TokenBucket(10, 5, 0);
    bucket.tryTake(0, 10);
    expect(bucket.msUntilAvailable(0, 1)).toBe(200);
    expect(bucket.msUntilAvailable(0, 11)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('UserLimits', () => {
  const settings = { messagesPerSecond: 10, messagesBurst: 5, bytesPerSecond: 1000, bytesBurst: 2000, joinsPerMinute: 2 };

  it('refuses the message that exceeds the burst and names the limit', () => {
    const limits = new UserLimits(settings, 0);
    for (let i = 0; i < 5; i++) expect(limits.chargeMessage(0, 10).ok).toBe(true);
    expect(limits.chargeMessage(0, 10)).toEqual({ ok: false, limit: 'messages', retryAfterMs: 100 });
  });

  it('refuses by bytes without spending a message token', () => {
    const limits = new UserLimits(settings, 0);
    expect(limits.chargeMessage(0, 1500).ok).toBe(true);
    const refused = limits.chargeMessage(0, 1000);
    expect(refused.ok === false && refused.limit).toBe('bytes');
    // Four message tokens are left: the refused one was not charged.
    for (let i = 0; i < 4; i++) expect(limits.chargeMessage(0, 1).ok).toBe(true);
    expect(limits.chargeMessage(0, 1).ok).toBe(false);
  });

  it('counts joins per minute', () => {
    const limits = new UserLimits(settings, 0);
    expect(limits.chargeJoin(0).ok).toBe(true);
    expect(limits.chargeJoin(0).ok).toBe(true);
    expect(limits.chargeJoin(0)).toEqual({ ok: false, limit: 'joins', retryAfterMs: 30_000 });
    expect(limits.chargeJoin(30_000).ok).toBe(true);
  });
});
