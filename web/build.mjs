// Builds the reference client to static files in web/dist (served by the signal server at `/`):
// index.html and app.css copied from static/, src/main.ts bundled with the SDK into app.js.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BROWSER_BUILD_OPTIONS } from '../sdk/build.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
export const WEB_DIST = `${here}dist`;

export async function buildWeb({ outdir = WEB_DIST } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  cpSync(`${here}static`, outdir, { recursive: true });
  const result = await build({ ...BROWSER_BUILD_OPTIONS, entryPoints: [`${here}src/main.ts`], outfile: `${outdir}/app.js`, minify: true, sourcemap: 'linked', metafile: true });
  const bytes = Object.values(result.metafile.outputs).find((output) => output.entryPoint)?.bytes ?? 0;
  return { outdir, appBytes: bytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { appBytes } = await buildWeb();
  console.log(`[web] dist/app.js: ${appBytes} B minified`);
}
