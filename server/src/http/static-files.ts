import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { httpError } from './responses.js';
import type { HttpRequest, HttpResponse } from './types.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Paths that belong to the API: never answered with the web client's index.html. */
export function isApiPath(path: string): boolean {
  return path.startsWith('/v1/') || path === '/v1' || path === '/metrics' || path === '/healthz' || path === '/readyz';
}

/**
 * Serves a directory at `/` (the reference web client). Unknown GET paths outside the API get
 * index.html so client-side routes work; `..` can never leave the directory.
 */
export function staticFiles(directory: string): (request: HttpRequest) => Promise<HttpResponse> {
  const root = resolve(directory);
  const serve = async (file: string, cacheable: boolean): Promise<HttpResponse | undefined> => {
    try {
      const info = await stat(file);
      if (!info.isFile()) return undefined;
      const body = await readFile(file);
      return {
        status: 200,
        headers: {
          'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'cache-control': cacheable ? 'public, max-age=3600' : 'no-cache',
          'x-content-type-options': 'nosniff',
        },
        body,
      };
    } catch {
      return undefined;
    }
  };
  return async (request) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(request.path);
    } catch {
      return httpError('INVALID_REQUEST', 'bad path encoding');
    }
    if (decoded.includes('\0')) return httpError('INVALID_REQUEST', 'bad path');
    const target = resolve(join(root, decoded));
    if (target !== root && !target.startsWith(root + sep)) return httpError('NOT_FOUND');
    const direct = decoded.endsWith('/') ? undefined : await serve(target, !target.endsWith('.html'));
    if (direct) return direct;
    const index = await serve(join(root, 'index.html'), false);
    return index ?? httpError('NOT_FOUND');
  };
}
