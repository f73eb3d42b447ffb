import { renderConfigMarkdown } from '@parley/runtime';
import { buildOpenApiDocument } from '../admin/openapi.js';
import { SIGNAL_ENV_PREFIX, SignalConfigSchema } from '../config/index.js';
import { SIGNAL_CONFIG_FILE_ENV } from '../config/load.js';
import { SERVER_VERSION } from '../version.js';

/** Paths of the generated references, relative to the repository root. */
export const CONFIG_DOC_PATH = 'docs/config.md';
export const OPENAPI_DOC_PATH = 'docs/openapi.json';

/** docs/config.md: every setting of the signal server, generated from its zod schema. */
export function renderConfigReference(): string {
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from server/src/config/schema.ts by `npm run docs -w @parley/server`; do not edit by hand. -->',
    '',
    'Settings come from, in increasing priority: built-in defaults, a config file (`--config file.yaml|json`',
    `or \`${SIGNAL_CONFIG_FILE_ENV}\`), programmatic overrides, and environment variables. Lists take`,
    'comma-separated values or JSON; objects take JSON. Unknown keys and bad values stop the server at',
    'start-up with the exact path and variable. Secrets are never logged (the effective configuration',
    'is logged with them redacted).',
    '',
    renderConfigMarkdown(`parley signal (\`${SIGNAL_ENV_PREFIX}*\`)`, SignalConfigSchema, SIGNAL_ENV_PREFIX),
  ].join('\n');
}

/** docs/openapi.json: the REST API, generated from the zod schemas the server validates with. */
export function renderOpenApiJson(): string {
  return JSON.stringify(buildOpenApiDocument(SERVER_VERSION), null, 2) + '\n';
}
