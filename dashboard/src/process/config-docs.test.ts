import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_DOCS, dashboardConfigTable, withConfigTable } from './config-docs.js';

describe('dashboard configuration docs', () => {
  it('docs/dashboard.md carries the table generated from the schema (run `npm run docs -w @parley/dashboard` when this fails)', () => {
    const markdown = readFileSync(DASHBOARD_DOCS, 'utf8');
    expect(markdown).toContain(dashboardConfigTable());
    expect(withConfigTable(markdown)).toBe(markdown);
  });

  it('lists every setting with its environment variable', () => {
    const table = dashboardConfigTable();
    for (const name of ['PARLEY_DASHBOARD_SIGNAL__URL', 'PARLEY_DASHBOARD_SESSION__SECRET', 'PARLEY_DASHBOARD_HTTP__PORT', 'PARLEY_DASHBOARD_LIVE__REFRESH_INTERVAL_MS']) {
      expect(table).toContain(name);
    }
  });
});
