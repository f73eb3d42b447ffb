import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('serving the web client', () => {
  let t: TestServer;
  let parent: string;
  let dir: string;

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'parley-static-'));
    dir = join(parent, 'web');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Parley</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("parley")');
    writeFileSync(join(parent, 'outside-secret.txt'), 'do not serve');
    t = await startTestServer({ config: { http: { host: '127.0.0.1', port: 0, staticDir: dir } } });
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(parent, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${t.server.url}${path}`);

  it('serves files with their content type', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>Parley</title>');
    const script = await get('/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log("parley")');
  });

  it('answers unknown GET paths with index.html so client-side routes work', async () => {
    const route = await get('/room/standup');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Parley</title>');
  });

  it('never answers API paths with the web client', async () => {
    const api = await get('/v1/unknown');
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: { code: 'NOT_FOUND' } });
    expect((await get('/healthz')).headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('never serves a file outside its directory', async () => {
    for (const path of ['/../outside-secret.txt', '/%2e%2e/outside-secret.txt', '/assets/..%2f..%2foutside-secret.txt']) {
      const response = await get(path);
      expect(await response.text(), path).not.toContain('do not serve');
    }
  });
});
