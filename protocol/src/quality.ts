import { z } from 'zod';

/**
 * Connection quality grades shown in the dashboard and counted in metrics. One pure function so
 * the server, the dashboard and the SDK agree on what "good" means.
 */
export const QualityGrade = z.enum(['good', 'fair', 'poor', 'unknown']);
export type QualityGrade = z.infer<typeof QualityGrade>;

export const QUALITY_THRESHOLDS = {
  good: { maxRttMs: 150, maxLossRatio: 0.02 },
  fair: { maxRttMs: 300, maxLossRatio: 0.05 },
} as const;

export function gradeQuality(rttMs: number | undefined, lossRatio: number | undefined): QualityGrade {
  if (rttMs === undefined && lossRatio === undefined) return 'unknown';
  const rtt = rttMs ?? 0;
  const loss = lossRatio ?? 0;
  if (rtt <= QUALITY_THRESHOLDS.good.maxRttMs && loss <= QUALITY_THRESHOLDS.good.maxLossRatio) return 'good';
  if (rtt <= QUALITY_THRESHOLDS.fair.maxRttMs && loss <= QUALITY_THRESHOLDS.fair.maxLossRatio) return 'fair';
  return 'poor';
}

export const QualityCounts = z.object({
  good: z.number().int(),
  fair: z.number().int(),
  poor: z.number().int(),
  unknown: z.number().int(),
});
export type QualityCounts = z.infer<typeof QualityCounts>;
