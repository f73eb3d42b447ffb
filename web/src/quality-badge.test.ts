import { describe, expect, it } from 'vitest';
import { badgeFor, formatBitrate, formatBytes, formatLoss } from './quality-badge.js';

describe('badgeFor', () => {
  it('shows path, transport to the relay, RTT and loss', () => {
    const view = badgeFor({ peerId: 'p', grade: 'good', path: 'relay', relayProtocol: 'tcp', rttMs: 41.6, lossRatio: 0.004 });
    expect(view).toMatchObject({ text: 'relay/tcp · 42 ms · 0.4% loss', grade: 'good', path: 'relay' });
  });

  it('shows a direct path without relay details', () => {
    expect(badgeFor({ peerId: 'p', grade: 'fair', path: 'direct', rttMs: 200 }).text).toBe('direct · 200 ms');
  });

  it('says connecting while no path is known', () => {
    expect(badgeFor(undefined)).toMatchObject({ text: 'connecting…', grade: 'unknown' });
    expect(badgeFor({ peerId: 'p', grade: 'unknown', path: 'unknown' }).path).toBe('unknown');
  });
});

describe('formatters', () => {
  it('format loss, bitrate and sizes for people', () => {
    expect(formatLoss(0)).toBe('0%');
    expect(formatLoss(0.25)).toBe('25%');
    expect(formatBitrate(2_500_000)).toBe('2.5 Mbit/s');
    expect(formatBitrate(64_000)).toBe('64 kbit/s');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatBytes(2048)).toBe('2 KB');
  });
});
