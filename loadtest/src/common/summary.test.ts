import { describe, expect, it } from 'vitest';
import { markdownTable } from './format.js';
import { median, ratio, summarizeRounds } from './summary.js';

describe('round summaries', () => {
  it('takes the median of odd and even counts and ignores missing rounds', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('keeps the spread and every round', () => {
    expect(summarizeRounds([3, 9, 6])).toEqual({ median: 6, min: 3, max: 9, rounds: [3, 9, 6] });
  });

  it('gives no ratio against zero or a missing figure', () => {
    expect(ratio(10, 2)).toBe(5);
    expect(ratio(10, 0)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
  });

  it('prints an aligned Markdown table', () => {
    const table = markdownTable(['target', 'msgs/s'], [['parley', '100,000'], ['ws', '9']]);
    expect(table.split('\n')).toEqual(['| target |  msgs/s |', '|:-------|--------:|', '| parley | 100,000 |', '| ws     |       9 |']);
  });
});
