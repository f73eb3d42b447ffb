import { describe, expect, it, vi } from 'vitest';
import { Emitter } from './emitter.js';

class Source extends Emitter<{ ping: number; done: void }> {
  fire(n: number) {
    this.emit('ping', n);
  }
}

describe('Emitter', () => {
  it('delivers payloads to listeners until they unsubscribe', () => {
    const source = new Source();
    const seen: number[] = [];
    const off = source.on('ping', (n) => seen.push(n));
    source.fire(1);
    off();
    source.fire(2);
    expect(seen).toEqual([1]);
  });

  it('runs a once-listener a single time and resolves next()', async () => {
    const source = new Source();
    const once = vi.fn();
    source.once('ping', once);
    const next = source.next('ping');
    source.fire(5);
    source.fire(6);
    expect(once).toHaveBeenCalledTimes(1);
    await expect(next).resolves.toBe(5);
  });

  it('keeps notifying the other listeners when one throws', () => {
    vi.useFakeTimers();
    try {
      const source = new Source();
      const after = vi.fn();
      source.on('ping', () => {
        throw new Error('app bug');
      });
      source.on('ping', after);
      source.fire(1);
      expect(after).toHaveBeenCalledWith(1);
      // The error is rethrown on a fresh task so the browser reports it.
      expect(() => vi.runAllTimers()).toThrow('app bug');
    } finally {
      vi.useRealTimers();
    }
  });
});
