import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_DOC_PATH, OPENAPI_DOC_PATH, renderConfigReference, renderOpenApiJson } from './reference-docs.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const committed = (path: string) => readFileSync(`${root}${path}`, 'utf8');
const HOW_TO_FIX = 'stale: run `npm run build && npm run docs -w @parley/server` and commit the result';

describe('generated references', () => {
  it('docs/config.md matches the config schema', () => {
    expect(committed(CONFIG_DOC_PATH), `${CONFIG_DOC_PATH} is ${HOW_TO_FIX}`).toBe(renderConfigReference());
  });

  it('docs/openapi.json matches the zod schemas of the REST API', () => {
    expect(committed(OPENAPI_DOC_PATH), `${OPENAPI_DOC_PATH} is ${HOW_TO_FIX}`).toBe(renderOpenApiJson());
  });

  it('documents every setting with a description, and redacts secret defaults', () => {
    const doc = renderConfigReference();
    expect(doc).toContain('| `http.port` | `PARLEY_SIGNAL_HTTP__PORT` | number | `8080` |');
    expect(doc).toMatch(/\| `auth\.hs256Secrets` \| `PARLEY_SIGNAL_AUTH__HS256_SECRETS` \| string-list \| — \| .*\*\*secret\*\* \|/);
    for (const row of doc.split('\n').filter((line) => line.startsWith('| `'))) {
      const description = row.split(' | ')[4];
      expect(description?.trim().length, row).toBeGreaterThan(3);
    }
  });
});
