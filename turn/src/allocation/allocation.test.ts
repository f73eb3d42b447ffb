import { describe, expect, it } from 'vitest';
import { Allocation, CHANNEL_REBIND_COOLDOWN_MS } from './allocation.js';
import type { ClientLink } from './ports.js';
import { ByteBucket, UserUsage } from './quotas.js';

function allocation(nowMs: number): Allocation {
  return new Allocation({
    id: 'a1',
    client: {} as ClientLink,
    username: 'u',
    userId: 'u',
    room: null,
    credentialExpiresAtSeconds: 0,
    relays: [],
    relayedAddresses: [],
    nowMs,
    lifetimeSeconds: 600,
    bandwidthBytesPerSecond: 0,
    user: new UserUsage('u', 0, nowMs),
    transactionIdHex: '00',
  });
}

describe('allocation state', () => {
  it('keeps a permission for its lifetime only, per IP whatever the port', () => {
    const a = allocation(0);
    a.installPermission('203.0.113.9', 4, 300_000);
    expect(a.hasPermission('203.0.113.9', 299_999)).toBe(true);
    expect(a.hasPermission('203.0.113.9', 300_000)).toBe(false);
    a.sweep(300_000);
    expect(a.peers.size).toBe(0);
  });

  it('binds a channel with its permission and finds it from the peer side by port', () => {
    const a = allocation(0);
    a.bindChannel(0x4000, '203.0.113.9', 4, 5000, 600_000, 300_000);
    expect(a.hasPermission('203.0.113.9', 1)).toBe(true);
    expect(a.peers.get('203.0.113.9')!.channelForPort(5000)?.channel).toBe(0x4000);
    expect(a.peers.get('203.0.113.9')!.channelForPort(5001)).toBeNull();
  });

  it('refuses to move a channel to another peer, or a peer to another channel, until the cooldown after expiry', () => {
    const a = allocation(0);
    a.bindChannel(0x4000, '203.0.113.9', 4, 5000, 600_000, 300_000);
    expect(a.channelBindConflict(0x4000, '203.0.113.9', 5000, 1)).toBe(false);
    expect(a.channelBindConflict(0x4000, '203.0.113.10', 5000, 1)).toBe(true);
    expect(a.channelBindConflict(0x4001, '203.0.113.9', 5000, 1)).toBe(true);
    expect(a.channelBindConflict(0x4000, '203.0.113.10', 5000, 600_000 + CHANNEL_REBIND_COOLDOWN_MS - 1)).toBe(true);
    expect(a.channelBindConflict(0x4000, '203.0.113.10', 5000, 600_000 + CHANNEL_REBIND_COOLDOWN_MS)).toBe(false);
    a.sweep(600_000 + CHANNEL_REBIND_COOLDOWN_MS);
    expect(a.channels.size).toBe(0);
  });
});

describe('byte buckets', () => {
  it('pass a second of traffic at the rate, refuse beyond, and refill with time', () => {
    const bucket = new ByteBucket(1000, 0);
    expect(bucket.take(600, 0)).toBe(true);
    expect(bucket.take(600, 0)).toBe(false);
    expect(bucket.take(600, 200)).toBe(true);
    bucket.refund(600);
    expect(bucket.take(600, 200)).toBe(true);
    expect(bucket.take(1, 200)).toBe(false);
  });

  it('never refuse when the rate is 0 (unlimited)', () => {
    const bucket = new ByteBucket(0, 0);
    expect(bucket.take(1e9, 0)).toBe(true);
  });
});
