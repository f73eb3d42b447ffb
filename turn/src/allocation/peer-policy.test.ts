import { describe, expect, it } from 'vitest';
import { DEFAULT_DENIED_PEERS, PeerPolicy, parseCidr } from './peer-policy.js';

describe('peer policy', () => {
  const policy = new PeerPolicy({ allowPeers: [], denyPeers: DEFAULT_DENIED_PEERS });

  it('denies one address inside every default range, and its IPv4-mapped form', () => {
    const samples = ['0.1.2.3', '10.9.9.9', '100.127.0.1', '127.0.0.1', '169.254.9.9', '172.31.255.255', '192.0.0.8', '192.0.2.200', '192.168.77.1', '198.19.0.1', '198.51.100.99', '203.0.113.5', '239.1.1.1', '255.255.255.255'];
    for (const ip of samples) {
      expect(policy.decide(ip), ip).toBe('denied');
      expect(policy.decide(`::ffff:${ip}`), `::ffff:${ip}`).toBe('denied');
    }
    for (const ip of ['::', '::1', '64:ff9b::808:808', 'fd12::1', 'fc00::1', 'fe80::1', 'ff02::1']) expect(policy.decide(ip), ip).toBe('denied');
  });

  it('allows public addresses just outside the denied ranges', () => {
    for (const ip of ['8.8.8.8', '11.0.0.1', '100.128.0.1', '172.32.0.1', '192.169.0.1', '198.20.0.1', '2001:4860::8888', '::ffff:8.8.8.8']) expect(policy.decide(ip), ip).toBe('allowed');
  });

  it('lets the allow list override the deny list, for loopback tests', () => {
    const loopback = new PeerPolicy({ allowPeers: ['127.0.0.0/8', '::1'], denyPeers: DEFAULT_DENIED_PEERS });
    expect(loopback.decide('127.0.0.2')).toBe('allowed');
    expect(loopback.decide('::1')).toBe('allowed');
    expect(loopback.decide('10.0.0.1')).toBe('denied');
  });

  it('denies what is not an IP literal and rejects bad CIDR text at config time', () => {
    expect(policy.decide('example.com')).toBe('denied');
    expect(() => parseCidr('10.0.0.0/33')).toThrow(RangeError);
    expect(() => parseCidr('10.0.0.0/x')).toThrow(RangeError);
    expect(() => parseCidr('nonsense')).toThrow(RangeError);
  });
});
