import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatBitrate,
  formatBytes,
  formatBytesPerSecondAsBits,
  formatClockUtc,
  formatCount,
  formatDuration,
  formatMs,
  formatRatioAsPercent,
  formatUtc,
} from './format.js';

describe('dashboard formatters', () => {
  it('prints bytes with binary prefixes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('prints bitrates with decimal prefixes and relay bandwidth in bits', () => {
    expect(formatBitrate(999)).toBe('999 bit/s');
    expect(formatBitrate(1_500_000)).toBe('1.5 Mbit/s');
    expect(formatBitrate(undefined)).toBe('—');
    expect(formatBytesPerSecondAsBits(125_000)).toBe('1.0 Mbit/s');
  });

  it('prints latency, loss and counts', () => {
    expect(formatMs(3.25)).toBe('3.3 ms');
    expect(formatMs(42.4)).toBe('42 ms');
    expect(formatMs(undefined)).toBe('—');
    expect(formatRatioAsPercent(0.0123)).toBe('1.2 %');
    expect(formatCount(10000)).toBe('10\u2009000');
  });

  it('prints durations in their two largest units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(12_000)).toBe('12 s');
    expect(formatDuration(302_000)).toBe('5 min 2 s');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 59_000)).toBe('3 d 4 h');
    expect(formatDuration(3_600_000)).toBe('1 h');
  });

  it('prints instants relative to now and in UTC', () => {
    expect(formatAgo(1000, 61_000)).toBe('1 min ago');
    expect(formatAgo(61_000, 1000)).toBe('in 1 min');
    expect(formatAgo(null, 0)).toBe('never');
    expect(formatUtc(Date.UTC(2026, 10, 23, 11, 2, 3, 456))).toBe('2026-11-23 11:02:03Z');
    expect(formatClockUtc(Date.UTC(2026, 10, 23, 9, 5))).toBe('09:05');
    expect(formatClockUtc(Date.UTC(2026, 10, 23, 9, 5, 7), true)).toBe('09:05:07');
  });
});
