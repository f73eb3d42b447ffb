import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigMarkdown } from '@parley/runtime';
import { DASHBOARD_ENV_PREFIX, DashboardConfigSchema } from './config.js';

/**
 * The configuration table of docs/dashboard.md, generated from the schema so the two cannot drift
 * (a unit test checks it): `npm run docs -w @parley/dashboard` rewrites it.
 */
export const DASHBOARD_DOCS = fileURLToPath(new URL('../../../docs/dashboard.md', import.meta.url));
const BEGIN = '<!-- config:begin (generated from dashboard/src/process/config.ts) -->';
const END = '<!-- config:end -->';

export function dashboardConfigTable(): string {
  return renderConfigMarkdown('parley dashboard (`PARLEY_DASHBOARD_*`)', DashboardConfigSchema, DASHBOARD_ENV_PREFIX);
}

/** The docs with the generated block replaced by the current table. */
export function withConfigTable(markdown: string): string {
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (start === -1 || end < start) throw new Error(`${DASHBOARD_DOCS} has no ${BEGIN} … ${END} block`);
  return `${markdown.slice(0, start + BEGIN.length)}\n${dashboardConfigTable()}${markdown.slice(end)}`;
}

export function writeDashboardConfigDocs(): void {
  writeFileSync(DASHBOARD_DOCS, withConfigTable(readFileSync(DASHBOARD_DOCS, 'utf8')));
}
