/**
 * A latency histogram cheap enough to record every delivered message of a benchmark: recording is
 * one Math.clz32, a shift and an array increment, no allocation. Values are non-negative integers
 * (microseconds here). Buckets are log-linear like HdrHistogram's: below 2^SUB_BUCKET_BITS every
 * value has its own bucket; above, each power of two is split into 2^(SUB_BUCKET_BITS-1) equal
 * buckets, so a reported percentile is within 1/64 (1.6 %) of the true value.
 */
const SUB_BUCKET_BITS = 7;
const SUB_BUCKET_COUNT = 1 << SUB_BUCKET_BITS; // 128 exact buckets for 0..127
const HALF_SUB_BUCKET_COUNT = SUB_BUCKET_COUNT >> 1;
/** Values up to 2^40 µs (12 days) fit; larger ones are clamped into the last bucket. */
const MAX_EXPONENT = 40;
const BUCKET_COUNT = SUB_BUCKET_COUNT + (MAX_EXPONENT - SUB_BUCKET_BITS + 1) * HALF_SUB_BUCKET_COUNT;

function bucketIndex(value: number): number {
  if (value < SUB_BUCKET_COUNT) return value < 0 ? 0 : value | 0;
  const bits = value >= 2 ** 31 ? Math.floor(Math.log2(value)) + 1 : 32 - Math.clz32(value);
  // `bits` is the bit length; keep the top SUB_BUCKET_BITS bits of the value.
  const shift = bits - SUB_BUCKET_BITS;
  const top = Math.floor(value / 2 ** shift); // in [64, 127]
  const index = SUB_BUCKET_COUNT + (shift - 1) * HALF_SUB_BUCKET_COUNT + (top - HALF_SUB_BUCKET_COUNT);
  return index < BUCKET_COUNT ? index : BUCKET_COUNT - 1;
}

/** The largest value that falls into bucket `index` (percentiles report the bucket's upper edge). */
function bucketUpperValue(index: number): number {
  if (index < SUB_BUCKET_COUNT) return index;
  const offset = index - SUB_BUCKET_COUNT;
  const shift = Math.floor(offset / HALF_SUB_BUCKET_COUNT) + 1;
  const top = (offset % HALF_SUB_BUCKET_COUNT) + HALF_SUB_BUCKET_COUNT;
  return (top + 1) * 2 ** shift - 1;
}

export class Histogram {
  private readonly counts = new Float64Array(BUCKET_COUNT);
  private total = 0;
  private maxValue = 0;
  private sum = 0;

  record(value: number): void {
    this.counts[bucketIndex(value)]!++;
    this.total++;
    this.sum += value;
    if (value > this.maxValue) this.maxValue = value;
  }

  get count(): number {
    return this.total;
  }

  get max(): number {
    return this.maxValue;
  }

  get mean(): number {
    return this.total === 0 ? Number.NaN : this.sum / this.total;
  }

  /** The value at `percentile` (0–100): the smallest bucket edge with at least that share at or below it. */
  percentile(percentile: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((percentile / 100) * this.total));
    let seen = 0;
    for (let index = 0; index < BUCKET_COUNT; index++) {
      seen += this.counts[index]!;
      if (seen >= rank) return Math.min(bucketUpperValue(index), this.maxValue);
    }
    return this.maxValue;
  }

  /** Adds another histogram's counts into this one. */
  merge(other: Histogram): void {
    for (let index = 0; index < BUCKET_COUNT; index++) this.counts[index]! += other.counts[index]!;
    this.total += other.total;
    this.sum += other.sum;
    if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sum = 0;
    this.maxValue = 0;
  }
}
