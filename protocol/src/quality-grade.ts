/**
 * The quality grading rule, kept free of zod so the browser SDK can import it without shipping
 * the schemas (the QualityGrade schema is in quality.ts). Do not re-export it from a module that
 * builds schemas: bundlers would then keep that module, and zod with it.
 */
export const QUALITY_THRESHOLDS = {
  good: { maxRttMs: 150, maxLossRatio: 0.02 },
  fair: { maxRttMs: 300, maxLossRatio: 0.05 },
} as const;

export function gradeQuality(rttMs: number | undefined, lossRatio: number | undefined): 'good' | 'fair' | 'poor' | 'unknown' {
  if (rttMs === undefined && lossRatio === undefined) return 'unknown';
  const rtt = rttMs ?? 0;
  const loss = lossRatio ?? 0;
  if (rtt <= QUALITY_THRESHOLDS.good.maxRttMs && loss <= QUALITY_THRESHOLDS.good.maxLossRatio) return 'good';
  if (rtt <= QUALITY_THRESHOLDS.fair.maxRttMs && loss <= QUALITY_THRESHOLDS.fair.maxLossRatio) return 'fair';
  return 'poor';
}
