import type { QualityCounts } from '@parley/protocol';

export const QUALITY_COLORS = { good: 'var(--good)', fair: 'var(--fair)', poor: 'var(--poor)', unknown: 'var(--unknown)' } as const;
const GRADES = ['good', 'fair', 'poor', 'unknown'] as const;

/** A stacked bar of how many peers are good, fair, poor or not yet graded. */
export function QualityBar({ quality, width = 120 }: { quality: QualityCounts; width?: number }) {
  const total = GRADES.reduce((sum, grade) => sum + quality[grade], 0);
  const title = GRADES.map((grade) => `${grade} ${quality[grade]}`).join(', ');
  return (
    <span className="qbar" style={{ width }} title={title} aria-label={`quality: ${title}`}>
      {total === 0
        ? null
        : GRADES.map((grade) =>
            quality[grade] > 0 ? <span key={grade} style={{ width: `${(quality[grade] / total) * 100}%`, background: QUALITY_COLORS[grade] }} /> : null,
          )}
    </span>
  );
}
