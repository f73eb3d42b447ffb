import { z } from 'zod';

/**
 * Connection quality grades shown in the dashboard and counted in metrics. The grading rule itself
 * (gradeQuality) lives in quality-grade.ts, free of zod, so the server, the dashboard and the
 * browser SDK share one definition of "good" without the SDK shipping the schemas.
 */
export const QualityGrade = z.enum(['good', 'fair', 'poor', 'unknown']);
export type QualityGrade = z.infer<typeof QualityGrade>;

export const QualityCounts = z.object({
  good: z.number().int(),
  fair: z.number().int(),
  poor: z.number().int(),
  unknown: z.number().int(),
});
export type QualityCounts = z.infer<typeof QualityCounts>;
