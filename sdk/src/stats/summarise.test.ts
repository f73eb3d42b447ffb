import { describe, expect, it } from 'vitest';
import { summariseStats, type StatLike } from './summarise.js';

/** A Chromium-shaped report: one transport, two candidate pairs (one selected), audio in/out. */
function chromeReport(at: number, counters: { sent: number; received: number; packetsReceived: number; packetsLost: number }): StatLike[] {
  return [
    { id: 'T01', type: 'transport', timestamp: at, selectedCandidatePairId: 'CPa_b' },
    { id: 'CPx_y', type: 'candidate-pair', timestamp: at, localCandidateId: 'Ix', remoteCandidateId: 'Iy', state: 'failed', nominated: false },
    {
      id: 'CPa_b',
      type: 'candidate-pair',
      timestamp: at,
      localCandidateId: 'Ia',
      remoteCandidateId: 'Ib',
      state: 'succeeded',
      nominated: true,
      currentRoundTripTime: 0.042,
      bytesSent: counters.sent,
      bytesReceived: counters.received,
    },
    { id: 'Ia', type: 'local-candidate', timestamp: at, candidateType: 'relay', relayProtocol: 'tcp', protocol: 'udp' },
    { id: 'Ib', type: 'remote-candidate', timestamp: at, candidateType: 'relay' },
    { id: 'Ix', type: 'local-candidate', timestamp: at, candidateType: 'host' },
    { id: 'Iy', type: 'remote-candidate', timestamp: at, candidateType: 'host' },
    { id: 'IT01A', type: 'inbound-rtp', timestamp: at, kind: 'audio', packetsReceived: counters.packetsReceived, packetsLost: counters.packetsLost, jitter: 0.012 },
    { id: 'RI01', type: 'remote-inbound-rtp', timestamp: at, kind: 'audio', fractionLost: 0.01, roundTripTime: 0.05 },
  ];
}

describe('summariseStats', () => {
  it('reads the selected pair: relay/relay, how we reach the relay, and RTT in milliseconds', () => {
    const { summary } = summariseStats(chromeReport(1_000, { sent: 0, received: 0, packetsReceived: 0, packetsLost: 0 }));
    expect(summary).toMatchObject({ path: 'relay', localCandidateType: 'relay', remoteCandidateType: 'relay', relayProtocol: 'tcp', rttMs: 42, jitterMs: 12 });
    // Loss and bitrate are rates: they need a previous sample.
    expect(summary.bitrateInBps).toBeUndefined();
  });

  it('computes bitrate and loss from the difference between two samples', () => {
    const first = summariseStats(chromeReport(1_000, { sent: 10_000, received: 20_000, packetsReceived: 100, packetsLost: 0 }));
    const { summary } = summariseStats(chromeReport(3_000, { sent: 60_000, received: 120_000, packetsReceived: 190, packetsLost: 10 }), first.sample);
    expect(summary.bitrateOutBps).toBe(200_000);
    expect(summary.bitrateInBps).toBe(400_000);
    // Inbound: 10 lost of 100 expected; the remote side reports 1% the other way; the worse wins.
    expect(summary.lossRatio).toBeCloseTo(0.1);
  });

  it('calls a host/srflx pair direct', () => {
    const report = chromeReport(1_000, { sent: 0, received: 0, packetsReceived: 0, packetsLost: 0 }).map((stat) =>
      stat.id === 'Ia' ? { ...stat, candidateType: 'host', relayProtocol: undefined } : stat.id === 'Ib' ? { ...stat, candidateType: 'srflx' } : stat,
    );
    const { summary } = summariseStats(report);
    expect(summary.path).toBe('direct');
    expect(summary.relayProtocol).toBeUndefined();
  });

  it("falls back to Firefox's `selected` flag when there is no transport pointer", () => {
    const report = chromeReport(1_000, { sent: 0, received: 0, packetsReceived: 0, packetsLost: 0 })
      .filter((stat) => stat.type !== 'transport')
      .map((stat) => (stat.id === 'CPa_b' ? { ...stat, selected: true } : stat));
    expect(summariseStats(report).summary.path).toBe('relay');
  });

  it('says unknown while no pair is selected yet (still connecting)', () => {
    const { summary } = summariseStats([{ id: 'T01', type: 'transport', timestamp: 1 }]);
    expect(summary).toEqual({ path: 'unknown' });
  });

  it('clamps absurd values into the ranges the server accepts', () => {
    const report = chromeReport(1_000, { sent: 0, received: 0, packetsReceived: 0, packetsLost: 0 }).map((stat) =>
      stat.id === 'CPa_b' ? { ...stat, currentRoundTripTime: 1e9 } : stat.id === 'RI01' ? { ...stat, fractionLost: 7 } : stat,
    );
    const { summary } = summariseStats(report);
    expect(summary.rttMs).toBe(60_000);
    expect(summary.lossRatio).toBe(1);
  });

  it('never reports negative rates when counters restart (ICE restart, new transport)', () => {
    const first = summariseStats(chromeReport(1_000, { sent: 90_000, received: 90_000, packetsReceived: 500, packetsLost: 5 }));
    const { summary } = summariseStats(chromeReport(2_000, { sent: 1_000, received: 1_000, packetsReceived: 10, packetsLost: 0 }), first.sample);
    expect(summary.bitrateInBps).toBeUndefined();
    expect(summary.bitrateOutBps).toBeUndefined();
    expect(summary.lossRatio).toBeCloseTo(0.01);
  });
});
