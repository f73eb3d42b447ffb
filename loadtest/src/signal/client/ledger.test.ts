import { describe, expect, it } from 'vitest';
import { signalTemplate } from '../wire.js';
import { Ledger } from './ledger.js';

function ledgerWithPair() {
  const ledger = new Ledger();
  const pair = ledger.addPair(0, 1, signalTemplate('r', 'p1'), 'p0');
  return { ledger, pair };
}

describe('Ledger', () => {
  it('counts in-order deliveries and records their latency only while recording', () => {
    const { ledger, pair } = ledgerWithPair();
    pair.sent = 3;
    ledger.arrived(pair, 0, 100);
    ledger.recording = true;
    ledger.arrived(pair, 1, 200);
    ledger.arrived(pair, 2, 300);
    expect(ledger.delivered).toBe(3);
    expect(ledger.latencyUs.count).toBe(2);
    expect(ledger.inFlight).toBe(0);
    ledger.settle();
    expect(ledger.problems.total).toBe(0);
  });

  it('reports a duplicate, a gap and, after settling, what never arrived', () => {
    const { ledger, pair } = ledgerWithPair();
    pair.sent = 6;
    ledger.arrived(pair, 0, 1);
    ledger.arrived(pair, 0, 1);
    ledger.arrived(pair, 2, 1);
    ledger.arrived(pair, 3, 1);
    expect(ledger.problems.count('duplicate')).toBe(1);
    expect(ledger.problems.count('out_of_order')).toBe(1);
    ledger.settle();
    expect(ledger.problems.count('lost')).toBe(2);
    // Settling twice does not report the same loss again.
    ledger.settle();
    expect(ledger.problems.count('lost')).toBe(2);
  });

  it('stamps the sender peer id the receiver must see in `from`', () => {
    const { pair } = ledgerWithPair();
    expect(pair.fromNeedle?.toString()).toBe('"from":"p0"');
  });
});
