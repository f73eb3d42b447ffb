import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';
import { UserLimits, type LimitVerdict } from './user-limits.js';

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

describe('UserLimits as one object of numbers', () => {
  // Rates whose refills are whole numbers of tokens per millisecond keep the comparison exact.
  const settings = { messagesPerSecond: 2000, messagesBurst: 7, bytesPerSecond: 50_000, bytesBurst: 900, joinsPerMinute: 120_000 };
  const op = fc.record({ afterMs: fc.integer({ min: 0, max: 5 }), kind: fc.constantFrom('message', 'join'), bytes: fc.integer({ min: 0, max: 1000 }) });

  it('gives the same verdicts as three separate token buckets', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const limits = new UserLimits(settings, 0);
        const messages = new TokenBucket(settings.messagesBurst, settings.messagesPerSecond, 0);
        const bytes = new TokenBucket(settings.bytesBurst, settings.bytesPerSecond, 0);
        const joins = new TokenBucket(settings.joinsPerMinute, settings.joinsPerMinute / 60, 0);
        let nowMs = 0;
        for (const { afterMs, kind, bytes: size } of ops) {
          nowMs += afterMs;
          let expected: LimitVerdict;
          if (kind === 'join') {
            expected = joins.tryTake(nowMs) ? { ok: true } : { ok: false, limit: 'joins', retryAfterMs: joins.msUntilAvailable(nowMs) };
            expect(limits.chargeJoin(nowMs)).toEqual(expected);
            continue;
          }
          if (messages.available(nowMs) < 1) expected = { ok: false, limit: 'messages', retryAfterMs: messages.msUntilAvailable(nowMs) };
          else if (!bytes.tryTake(nowMs, size)) expected = { ok: false, limit: 'bytes', retryAfterMs: Math.min(60_000, bytes.msUntilAvailable(nowMs, size)) };
          else expected = (messages.tryTake(nowMs), { ok: true });
          expect(limits.chargeMessage(nowMs, size)).toEqual(expected);
        }
      }),
    );
  });
});
