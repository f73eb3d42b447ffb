/**
 * Reducing several benchmark rounds to one figure. The machine is shared and noisy, so every
 * figure the benchmark prints is the median of its rounds, shown with its spread (min–max).
 */
export interface RoundFigure {
  median: number;
  min: number;
  max: number;
  /** Every round's value, in run order, for the JSON report. */
  rounds: number[];
}

export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const middle = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}

export function summarizeRounds(values: readonly number[]): RoundFigure {
  const finite = values.filter((value) => Number.isFinite(value));
  return {
    median: median(finite),
    min: finite.length ? Math.min(...finite) : Number.NaN,
    max: finite.length ? Math.max(...finite) : Number.NaN,
    rounds: [...values],
  };
}

/** `a / b`, or NaN when either side is missing or b is zero. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
}
