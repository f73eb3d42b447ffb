import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../errors.js';
import { PendingRequests } from './pending-requests.js';

describe('PendingRequests', () => {
  afterEach(() => vi.useRealTimers());

  it('resolves a request with its answer exactly once', async () => {
    const pending = new PendingRequests(1_000);
    const { rid, answer } = pending.open<string>();
    pending.resolve(rid, 'ok');
    pending.resolve(rid, 'again');
    await expect(answer).resolves.toBe('ok');
    expect(pending.size).toBe(0);
  });

  it('hands out a different rid for every request', () => {
    const pending = new PendingRequests(1_000);
    const a = pending.open();
    const b = pending.open();
    expect(a.rid).not.toBe(b.rid);
    pending.rejectAll(new ParleyError('CLIENT_CLOSED'));
    return Promise.allSettled([a.answer, b.answer]);
  });

  it('rejects with REQUEST_TIMEOUT when no answer comes in time', async () => {
    vi.useFakeTimers();
    const pending = new PendingRequests(500);
    const { answer } = pending.open();
    const outcome = expect(answer).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' });
    vi.advanceTimersByTime(501);
    await outcome;
    expect(pending.size).toBe(0);
  });

  it("rejects with the server's error code", async () => {
    const pending = new PendingRequests(1_000);
    const { rid, answer } = pending.open();
    pending.reject(rid, new ParleyError('ROOM_FULL'));
    await expect(answer).rejects.toMatchObject({ code: 'ROOM_FULL', retryable: true });
  });
});
