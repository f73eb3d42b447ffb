import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from './support/test-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('connection limits', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  async function attempt(server: TestServer, token: string) {
    const client = await TestClient.connect(`${server.server.wsUrl}?access_token=${token}`);
    const first = await client.next();
    return { client, first };
  }

  it('refuses a user beyond its connection limit with 4430 TOO_MANY_CONNECTIONS, and admits it again once one closes', async () => {
    t = await startTestServer({ config: { limits: { connectionsPerUser: 2 } } });
    const token = await t.server.mintToken({ userId: 'busy' });
    const first = await attempt(t, token);
    const second = await attempt(t, token);
    expect([first.first.type, second.first.type]).toEqual(['session', 'session']);
    const third = await attempt(t, token);
    expect(third.first).toEqual({ type: 'error', code: 'TOO_MANY_CONNECTIONS' });
    expect(await third.client.closed).toEqual({ code: 4430, reason: 'TOO_MANY_CONNECTIONS' });
    // Another user is not affected.
    expect((await attempt(t, await t.server.mintToken({ userId: 'calm' }))).first.type).toBe('session');
    await first.client.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await attempt(t, token)).first.type).toBe('session');
  });

  it('lets a token grant lower the per-user limit', async () => {
    t = await startTestServer({ config: { limits: { connectionsPerUser: 10 } } });
    const token = await t.server.mintToken({ userId: 'kiosk', maxConnections: 1 });
    expect((await attempt(t, token)).first.type).toBe('session');
    expect((await attempt(t, token)).first).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' });
  });

  it('refuses connections beyond the per-IP limit', async () => {
    t = await startTestServer({ config: { limits: { connectionsPerIp: 3 } } });
    for (let index = 0; index < 3; index++) expect((await attempt(t, await t.server.mintToken({ userId: `u${index}` }))).first.type).toBe('session');
    const over = await attempt(t, await t.server.mintToken({ userId: 'u9' }));
    expect(over.first).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' });
    expect((await over.client.closed).code).toBe(4430);
  });
});
