import { describe, expect, it } from 'vitest';
import { summarizeQuality } from './quality.js';

describe('summarizeQuality', () => {
  it('is unknown without a report', () => {
    expect(summarizeQuality(undefined)).toEqual({ grade: 'unknown', path: 'unknown', connections: [] });
  });

  it('averages rtt, loss and jitter, sums bitrates, and calls the peer relayed when any connection is', () => {
    const quality = summarizeQuality({
      receivedAtMs: 5,
      report: {
        connections: [
          { remotePeerId: 'p1' as never, path: 'direct', rttMs: 40, lossRatio: 0, jitterMs: 4, bitrateInBps: 1000, bitrateOutBps: 10 },
          { remotePeerId: 'p2' as never, path: 'relay', relayProtocol: 'tcp', rttMs: 400, lossRatio: 0.1, jitterMs: 8, bitrateInBps: 500 },
        ],
      },
    });
    expect(quality).toMatchObject({ grade: 'fair', path: 'relay', relayProtocol: 'tcp', rttMs: 220, lossRatio: 0.05, jitterMs: 6, bitrateInBps: 1500, bitrateOutBps: 10, updatedAtMs: 5 });
  });
});
