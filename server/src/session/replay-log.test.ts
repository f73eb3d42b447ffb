import { describe, expect, it } from 'vitest';
import { ReplayLog } from './replay-log.js';

describe('ReplayLog', () => {
  it('numbers frames from 1 and returns those after a given count', () => {
    const log = new ReplayLog(10, 1000);
    for (const frame of ['a', 'b', 'c']) log.append(frame);
    expect(log.lastSeq).toBe(3);
    expect(log.since(3)).toEqual([]);
    expect(log.since(1)).toEqual(['b', 'c']);
    expect(log.since(0)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a count ahead of what was sent, or behind what it still keeps', () => {
    const log = new ReplayLog(2, 1000);
    for (const frame of ['a', 'b', 'c', 'd']) log.append(frame);
    expect(log.since(5)).toBeNull();
    expect(log.since(1)).toBeNull();
    expect(log.since(2)).toEqual(['c', 'd']);
  });

  it('keeps within its byte budget', () => {
    const log = new ReplayLog(100, 10);
    for (const frame of ['12345', '67890', 'abcde']) log.append(frame);
    expect(log.since(1)).toEqual(['67890', 'abcde']);
    expect(log.since(0)).toBeNull();
  });

  it('keeps nothing when disabled, but still counts', () => {
    const log = new ReplayLog(0, 1000);
    log.append('a');
    log.append('b');
    expect(log.lastSeq).toBe(2);
    expect(log.since(2)).toEqual([]);
    expect(log.since(1)).toBeNull();
  });
});
