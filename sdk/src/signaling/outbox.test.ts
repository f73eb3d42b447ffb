import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

describe('Outbox', () => {
  it('gives frames back oldest first and is empty afterwards', () => {
    const outbox = new Outbox(10);
    outbox.push('a');
    outbox.push('b');
    expect(outbox.drain()).toEqual(['a', 'b']);
    expect(outbox.length).toBe(0);
  });

  it('drops the oldest frames beyond its bound and counts them', () => {
    const outbox = new Outbox(2);
    for (const frame of ['a', 'b', 'c', 'd']) outbox.push(frame);
    expect(outbox.dropped).toBe(2);
    expect(outbox.drain()).toEqual(['c', 'd']);
  });
});
