import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('HTTP plumbing', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ config: { http: { host: '127.0.0.1', port: 0, corsOrigins: ['http://app.example'], maxBodyBytes: 2048 } } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers CORS preflights and requests only for configured origins', async () => {
    const preflight = await fetch(`${t.server.url}/v1/turn/credentials`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.example');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const allowed = await fetch(`${t.server.url}/healthz`, { headers: { origin: 'http://app.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://app.example');
    const other = await fetch(`${t.server.url}/healthz`, { headers: { origin: 'http://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a request body above http.maxBodyBytes, declared or streamed', async () => {
    const token = await t.server.mintToken({ userId: 'a', admin: true });
    const big = JSON.stringify({ name: 'x', metadata: { pad: 'x'.repeat(5000) } });
    const declared = await fetch(`${t.server.url}/v1/admin/rooms`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: big });
    expect(declared.status).toBe(400);
    expect(await declared.json()).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    const streamed = await fetch(`${t.server.url}/v1/admin/rooms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: new ReadableStream({
        start(controller) {
          for (let index = 0; index < 5; index++) controller.enqueue(new TextEncoder().encode('x'.repeat(1000)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(400);
    // The server is still serving.
    expect((await fetch(`${t.server.url}/healthz`)).status).toBe(200);
  });
});
