import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_DOC_PATH, OPENAPI_DOC_PATH, renderConfigReference, renderOpenApiJson } from './reference-docs.js';

/** `npm run docs -w @parley/server`: regenerates the committed references. */
const root = fileURLToPath(new URL('../../../', import.meta.url));
writeFileSync(`${root}${CONFIG_DOC_PATH}`, renderConfigReference());
writeFileSync(`${root}${OPENAPI_DOC_PATH}`, renderOpenApiJson());
process.stdout.write(`wrote ${CONFIG_DOC_PATH} and ${OPENAPI_DOC_PATH}\n`);
