/**
 * Number formatting and plain-text tables for benchmark output. Output goes to a terminal and into
 * docs/benchmarks.md unchanged, so tables are Markdown pipe tables that also read well as text.
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return Math.round(value).toLocaleString('en-US');
}

export function formatMicros(valueUs: number): string {
  if (!Number.isFinite(valueUs)) return 'n/a';
  if (valueUs < 1_000) return `${Math.round(valueUs)} µs`;
  if (valueUs < 1_000_000) return `${(valueUs / 1_000).toFixed(valueUs < 10_000 ? 2 : 1)} ms`;
  return `${(valueUs / 1_000_000).toFixed(2)} s`;
}

export function formatBytes(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  if (abs < 1024) return `${Math.round(value)} B`;
  if (abs < 1024 * 1024) return `${(value / 1024).toFixed(2)} KiB`;
  return `${(value / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

/** A Markdown pipe table; the first column is left-aligned, the others right-aligned. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
