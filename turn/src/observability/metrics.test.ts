import { describe, expect, it } from 'vitest';
import { AllocationTable } from '../allocation/allocation-table.js';
import { RelayCounters } from '../relay/counters.js';
import { TurnMetrics } from './metrics.js';

function metrics(): TurnMetrics {
  return new TurnMetrics({
    counters: new RelayCounters(),
    allocations: new AllocationTable(0),
    streamConnections: () => ({ tcp: 0, tls: 0 }),
    relayPortsInUse: () => 0,
    nowMs: () => 0,
  });
}

/** The value of one exposition line, e.g. `parley_turn_requests_total{method="allocate",code="401"}`. */
function valueOf(text: string, series: string): number | null {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe('per-request counters', () => {
  it('shows every count at the next scrape, by label set, and never counts one twice across scrapes', async () => {
    const m = metrics();
    for (let i = 0; i < 3; i++) m.request('allocate', 401);
    m.request('allocate', 200);
    m.request('refresh', 200);
    m.authFailure('missing_integrity');
    m.authFailure('missing_integrity');
    m.allocationCreated('udp');
    m.allocationEnded('refresh');
    let text = await m.text();
    expect(valueOf(text, 'parley_turn_requests_total{method="allocate",code="401"}')).toBe(3);
    expect(valueOf(text, 'parley_turn_requests_total{method="allocate",code="200"}')).toBe(1);
    expect(valueOf(text, 'parley_turn_requests_total{method="refresh",code="200"}')).toBe(1);
    expect(valueOf(text, 'parley_turn_auth_failures_total{reason="missing_integrity"}')).toBe(2);
    expect(valueOf(text, 'parley_turn_auth_failures_total{reason="bad_integrity"}')).toBe(0);
    expect(valueOf(text, 'parley_turn_allocations_created_total{transport="udp"}')).toBe(1);
    expect(valueOf(text, 'parley_turn_allocations_ended_total{reason="refresh"}')).toBe(1);

    text = await m.text();
    expect(valueOf(text, 'parley_turn_requests_total{method="allocate",code="401"}')).toBe(3);
    m.request('allocate', 401);
    m.allocationEnded('expired');
    text = await m.text();
    expect(valueOf(text, 'parley_turn_requests_total{method="allocate",code="401"}')).toBe(4);
    expect(valueOf(text, 'parley_turn_allocations_ended_total{reason="refresh"}')).toBe(1);
    expect(valueOf(text, 'parley_turn_allocations_ended_total{reason="expired"}')).toBe(1);
  });
});
