import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
// @ts-expect-error build.mjs is plain JavaScript without type declarations
import { bundleSdk } from '../../build.mjs';

/**
 * The page the SDK's browser tests run in: an empty document that imports the SDK bundle (built
 * fresh from source for every run, so tests never see a stale build) and exposes it as
 * `window.parley`. Served by the signal server's static directory in the end-to-end tests, or by
 * a plain loopback HTTP server in the mesh tests that need no signaling.
 */
export const HARNESS_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>parley sdk harness</title>
<script type="module">import * as parley from './parley-sdk.js'; window.parley = parley; window.harnessReady = true;</script>
</head><body></body></html>`;

/** Writes index.html and parley-sdk.js into `directory`. */
export async function writeHarness(directory: string): Promise<void> {
  mkdirSync(directory, { recursive: true });
  const { code } = await bundleSdk({ write: false });
  writeFileSync(join(directory, 'parley-sdk.js'), code);
  writeFileSync(join(directory, 'index.html'), HARNESS_HTML);
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css' };

/** Serves `directory` on 127.0.0.1 (port 0). */
export async function serveDirectory(directory: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(directory, path.endsWith('/') ? `${path}index.html` : path);
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
