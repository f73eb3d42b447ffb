import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('the dev token endpoint', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  const post = (server: TestServer, body: unknown) =>
    fetch(`${server.server.url}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('does not exist unless enabled', async () => {
    t = await startTestServer();
    const response = await post(t, { room: 'demo' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND' } });
  });

  it('when enabled, mints a token that may create and join that room only, with admin on request', async () => {
    t = await startTestServer({ config: { dev: { tokenEndpoint: true } } });
    const response = await post(t, { room: 'demo', userId: 'guest-1' });
    expect(response.status).toBe(200);
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: number };
    expect(expiresAt).toBeGreaterThan(Date.now() / 1000);
    const { client, session } = await t.connect(token);
    expect(session.userId).toBe('guest-1');
    expect((await client.request({ type: 'room.join', room: 'demo' })).type).toBe('room.joined');
    client.send({ type: 'room.join', rid: 9, room: 'elsewhere' });
    expect(await client.nextOf('error')).toMatchObject({ code: 'FORBIDDEN', rid: 9 });

    const admin = (await (await post(t, { room: 'demo', admin: true })).json()) as { token: string };
    expect((await fetch(`${t.server.url}/v1/admin/whoami`, { headers: { authorization: `Bearer ${admin.token}` } })).status).toBe(200);
    expect((await post(t, { room: '../bad' })).status).toBe(400);
    expect((await post(t, { room: 'demo', extra: 1 })).status).toBe(400);
  });
});
