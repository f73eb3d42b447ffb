/**
 * Pure formatters for what the dashboard prints. Units are in the parameter names; output is
 * stable across server and browser (no locale, no time zone) so server-rendered text and hydrated
 * text agree.
 */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 1536 → "1.5 KiB"; binary prefixes, one decimal from KiB on. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** Relay bandwidth: bytes per second shown as bits per second, the unit links are sold in. */
export function formatBytesPerSecondAsBits(bytesPerSecond: number): string {
  return formatBitrate(bytesPerSecond * 8);
}

const BIT_UNITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s'] as const;

/** 1_500_000 → "1.5 Mbit/s"; decimal prefixes as for network rates. */
export function formatBitrate(bitsPerSecond: number | undefined): string {
  if (bitsPerSecond === undefined || !Number.isFinite(bitsPerSecond) || bitsPerSecond < 0) return '—';
  let value = bitsPerSecond;
  let unit = 0;
  while (value >= 1000 && unit < BIT_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} ${BIT_UNITS[0]}` : `${value.toFixed(1)} ${BIT_UNITS[unit]}`;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** 0.0123 → "1.2 %". */
export function formatRatioAsPercent(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(1)} %`;
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '—';
  return perSecond >= 100 ? `${Math.round(perSecond)}` : perSecond.toFixed(1);
}

/** A duration in the two largest units: "3 d 4 h", "5 min 2 s", "12 s". */
export function formatDuration(durationMs: number): string {
  if (!Number.isFinite(durationMs)) return '—';
  const totalSeconds = Math.max(0, Math.floor(durationMs / 1000));
  const parts: [number, string][] = [
    [Math.floor(totalSeconds / 86_400), 'd'],
    [Math.floor((totalSeconds % 86_400) / 3600), 'h'],
    [Math.floor((totalSeconds % 3600) / 60), 'min'],
    [totalSeconds % 60, 's'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first === -1) return '0 s';
  return parts
    .slice(first, first + 2)
    .filter(([value], index) => index === 0 || value > 0)
    .map(([value, unit]) => `${value} ${unit}`)
    .join(' ');
}

/** "5 min ago" relative to `nowMs`; future instants read "in 5 min". */
export function formatAgo(thenMs: number | null | undefined, nowMs: number): string {
  if (thenMs === null || thenMs === undefined || !Number.isFinite(thenMs)) return 'never';
  const delta = nowMs - thenMs;
  if (Math.abs(delta) < 1000) return 'just now';
  return delta > 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
}

/** ISO 8601 in UTC without milliseconds: "2026-11-23 11:02:03Z". */
export function formatUtc(timeMs: number): string {
  if (!Number.isFinite(timeMs)) return '—';
  return new Date(timeMs).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** "HH:MM" in UTC for chart axes; "HH:MM:SS" when `withSeconds` (short time spans). */
export function formatClockUtc(timeMs: number, withSeconds = false): string {
  return new Date(timeMs).toISOString().slice(11, withSeconds ? 19 : 16);
}

export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}
