// Builds the browser bundle of @parley/sdk (dist/bundle/parley-sdk.js, ESM, minified) and
// measures it: `npm run size -w sdk` prints raw and gzipped bytes against the budget in
// bundle-budget.json (docs/sdk.md explains the budget; sdk/test/bundle-size.test.ts enforces it).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = fileURLToPath(new URL('.', import.meta.url));
export const SDK_ENTRY = `${here}src/index.ts`;
export const SDK_BUNDLE = `${here}dist/bundle/parley-sdk.js`;
export const BUDGET = JSON.parse(readFileSync(`${here}bundle-budget.json`, 'utf8'));

/** esbuild options shared by the SDK bundle, the reference client and the tests' harness. */
export const BROWSER_BUILD_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  conditions: ['@parley/source'],
  legalComments: 'none',
};

/** Bundles the SDK; returns the minified bytes and their gzipped size. */
export async function bundleSdk({ outfile = SDK_BUNDLE, write = true } = {}) {
  const result = await build({ ...BROWSER_BUILD_OPTIONS, entryPoints: [SDK_ENTRY], outfile, minify: true, sourcemap: write ? 'linked' : false, write, metafile: true });
  const code = write ? readFileSync(outfile) : Buffer.from(result.outputFiles.find((file) => file.path.endsWith('.js')).contents);
  // Modules that contribute bytes to the bundle (the metafile's top-level inputs also list
  // modules that were parsed and then tree-shaken away).
  const output = Object.values(result.metafile.outputs).find((entry) => entry.entryPoint);
  const inputs = Object.entries(output.inputs).filter(([, info]) => info.bytesInOutput > 0).map(([path]) => path);
  return { code, rawBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, inputs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rawBytes, gzipBytes, inputs } = await bundleSdk();
  const verdict = gzipBytes <= BUDGET.maxGzipBytes ? 'within' : 'OVER';
  console.log(`[sdk] ${SDK_BUNDLE.slice(here.length)}: ${rawBytes} B minified, ${gzipBytes} B gzipped (${verdict} budget ${BUDGET.maxGzipBytes} B, ${((100 * gzipBytes) / BUDGET.maxGzipBytes).toFixed(0)}%)`);
  if (process.argv.includes('--size')) for (const input of inputs) console.log(`  ${input}`);
  if (gzipBytes > BUDGET.maxGzipBytes) process.exit(1);
}
