import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram } from './histogram.js';

function exactPercentile(sorted: number[], percentile: number): number {
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[rank - 1]!;
}

describe('Histogram', () => {
  it('reports small values exactly', () => {
    const histogram = new Histogram();
    for (let value = 1; value <= 100; value++) histogram.record(value);
    expect(histogram.percentile(50)).toBe(50);
    expect(histogram.percentile(99)).toBe(99);
    expect(histogram.percentile(100)).toBe(100);
    expect(histogram.count).toBe(100);
    expect(histogram.mean).toBeCloseTo(50.5);
  });

  it('keeps every percentile within 1/64 of the exact value, never below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 36 }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 100 }), (values, percentile) => {
        const histogram = new Histogram();
        for (const value of values) histogram.record(value);
        const exact = exactPercentile([...values].sort((a, b) => a - b), percentile);
        const reported = histogram.percentile(percentile);
        expect(reported).toBeGreaterThanOrEqual(exact);
        expect(reported).toBeLessThanOrEqual(exact + Math.max(1, exact / 64));
      }),
    );
  });

  it('merges counts and resets to empty', () => {
    const a = new Histogram();
    const b = new Histogram();
    a.record(10);
    b.record(1_000_000);
    a.merge(b);
    expect(a.count).toBe(2);
    expect(a.max).toBe(1_000_000);
    expect(a.percentile(100)).toBe(1_000_000);
    a.reset();
    expect(a.count).toBe(0);
    expect(a.percentile(50)).toBeNaN();
  });
});
