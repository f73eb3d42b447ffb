import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedChromium } from '@parley/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPeer } from './support/browser-peer.js';
import type { HarnessWindow } from './support/page-types.js';
import { startStack, type TestStack } from './support/stack.js';

/**
 * The SDK's signaling API in Chromium against the real signal server: room state, broadcast,
 * user-addressed messages, and the reason codes an app sees when a token or a room says no.
 */
describe('rooms, state, broadcast and direct messages through the signal server', () => {
  let chromium: LaunchedChromium;
  let stack: TestStack;
  const pages: BrowserPeer[] = [];

  beforeAll(async () => {
    stack = await startStack();
    chromium = await launchChromium();
  });
  afterAll(async () => {
    for (const page of pages) await page.close();
    await chromium?.close();
    await stack?.stop();
  });

  async function peer(name: string): Promise<BrowserPeer> {
    const opened = await BrowserPeer.open(chromium.context, stack.signal.url, name);
    pages.push(opened);
    return opened;
  }

  /** Tries to connect (and join) with `token`; returns the error code the SDK reports, or 'ok'. */
  function attempt(page: Page, token: string, room?: string): Promise<string> {
    return page.evaluate(
      async ({ t, r }) => {
        const { parley } = window as HarnessWindow;
        try {
          const client = await parley.connect(location.origin, t, { reconnectPolicy: { nextDelayMs: () => null } });
          if (r) await client.join(r, { mesh: false });
          return 'ok';
        } catch (error) {
          return error instanceof parley.ParleyError ? error.code : `unexpected: ${String(error)}`;
        }
      },
      { t: token, r: room },
    );
  }

  it('shares room state with everyone, including peers who join later, and deletes keys set to null', async () => {
    const ada = await peer('ada');
    const bob = await peer('bob');
    await ada.join({ token: await stack.token('ada'), room: 'state', name: 'Ada' });
    await bob.join({ token: await stack.token('bob'), room: 'state', name: 'Bob' });
    await ada.page.evaluate(() => (window as HarnessWindow).peer.room.setState('presenter', { peerId: 'me', since: 1 }));
    await bob.page.waitForFunction(() => (window as HarnessWindow).peer.room.state.presenter !== undefined);
    expect(await bob.page.evaluate(() => (window as HarnessWindow).peer.room.state)).toEqual({ presenter: { peerId: 'me', since: 1 } });

    const cy = await peer('cy');
    await cy.join({ token: await stack.token('cy'), room: 'state', name: 'Cy' });
    expect(await cy.page.evaluate(() => (window as HarnessWindow).peer.room.state)).toEqual({ presenter: { peerId: 'me', since: 1 } });

    await bob.page.evaluate(() => (window as HarnessWindow).peer.room.setState('presenter', null));
    await cy.page.waitForFunction(() => !('presenter' in (window as HarnessWindow).peer.room.state));
    await ada.page.waitForFunction(() => !('presenter' in (window as HarnessWindow).peer.room.state));
  });

  it('broadcasts to the other peers of the room and carries metadata of each peer', async () => {
    const ada = await peer('ada');
    const bob = await peer('bob');
    await ada.join({ token: await stack.token('ada'), room: 'cast', name: 'Ada' });
    await bob.join({ token: await stack.token('bob'), room: 'cast', name: 'Bob' });
    const bobAsSeenByAda = await ada.page.waitForFunction((id) => (window as HarnessWindow).peer.room.peers.get(id)?.meta, bob.peerId);
    expect(await bobAsSeenByAda.jsonValue()).toEqual({ name: 'Bob' });
    await bob.page.evaluate(() => (window as HarnessWindow).peer.room.broadcast({ raiseHand: true }));
    await ada.page.waitForFunction(() => (window as HarnessWindow).peer.broadcasts.length === 1);
    expect(await ada.page.evaluate(() => (window as HarnessWindow).peer.broadcasts)).toEqual([{ raiseHand: true }]);
    expect(await bob.page.evaluate(() => (window as HarnessWindow).peer.broadcasts)).toEqual([]);
  });

  it("tells the others when a peer leaves (peer.left, reason 'left'), drops their connection to it, and lets it join again on the same client", async () => {
    const ada = await peer('ada');
    const bob = await peer('bob');
    await ada.join({ token: await stack.token('ada'), room: 'exit', name: 'Ada' });
    await bob.join({ token: await stack.token('bob'), room: 'exit', name: 'Bob' });
    await ada.waitConnected([bob.peerId]);
    const firstBob = bob.peerId;
    await bob.page.evaluate(() => (window as HarnessWindow).peer.room.leave());
    await ada.waitForLog(`peer.left:${firstBob}:left`);
    expect(await bob.log()).toContain('closed:left');
    const afterLeave = await ada.page.evaluate((id) => {
      const { room } = (window as HarnessWindow).peer;
      return { known: room.peers.has(id), connection: room.mesh?.connectionState(id) ?? 'none' };
    }, firstBob);
    expect(afterLeave).toEqual({ known: false, connection: 'none' });
    expect(await bob.page.evaluate(() => (window as HarnessWindow).peer.client.rooms.has('exit'))).toBe(false);

    // The peer id belongs to the session, so Bob comes back under the same one, on a new connection.
    const secondBob = await bob.page.evaluate(async () => (await (window as HarnessWindow).peer.client.join('exit', { meta: { name: 'Bob' }, forceRelay: true })).self.peerId);
    expect(secondBob).toBe(firstBob);
    await ada.page.waitForFunction((id) => (window as HarnessWindow).peer.log.filter((entry) => entry === `peer.joined:${id}`).length === 2, firstBob);
    await ada.waitConnected([firstBob]);
  });

  it('sends a user-addressed message to every session of that user, and says USER_NOT_FOUND for nobody', async () => {
    const caller = await peer('caller');
    const calleeLaptop = await peer('callee-laptop');
    const calleePhone = await peer('callee-phone');
    await caller.join({ token: await stack.token('caller'), room: 'lobby-1', name: 'Caller' });
    await calleeLaptop.join({ token: await stack.token('callee'), room: 'lobby-2', name: 'Callee' });
    await calleePhone.join({ token: await stack.token('callee'), room: 'lobby-3', name: 'Callee' });
    await caller.page.evaluate(() => (window as HarnessWindow).peer.client.sendDirect('callee', { invite: 'room-42' }));
    for (const session of [calleeLaptop, calleePhone]) {
      await session.page.waitForFunction(() => (window as HarnessWindow).peer.directs.length === 1);
      expect(await session.page.evaluate(() => (window as HarnessWindow).peer.directs)).toEqual([{ invite: 'room-42' }]);
    }
    const code = await caller.page.evaluate(() =>
      (window as HarnessWindow).peer.client.sendDirect('nobody-here', {}).then(
        () => 'ok',
        (error: { code: string }) => error.code,
      ),
    );
    expect(code).toBe('USER_NOT_FOUND');
  });

  it('reports TOKEN_BAD_SIGNATURE, TOKEN_EXPIRED and TOKEN_MALFORMED without retrying', async () => {
    const page = await peer('intruder');
    const foreign = await new SignJWT({ parley: { rooms: ['*'] } }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('1h').sign(new TextEncoder().encode('another-server-secret-0123456789abcdef'));
    expect(await attempt(page.page, foreign)).toBe('TOKEN_BAD_SIGNATURE');
    const expired = await stack.token('late', { ttlSeconds: -3600 });
    expect(await attempt(page.page, expired)).toBe('TOKEN_EXPIRED');
    expect(await attempt(page.page, 'not-a-token')).toBe('TOKEN_MALFORMED');
  });

  it('reports ROOM_FULL when joining a room at its limit, and FORBIDDEN for a room the token does not name', async () => {
    expect((await stack.admin('POST', '/v1/admin/rooms', { name: 'tiny', maxPeers: 1 })).status).toBe(201);
    const first = await peer('first');
    await first.join({ token: await stack.token('first'), room: 'tiny', name: 'First' });
    const second = await peer('second');
    expect(await attempt(second.page, await stack.token('second'), 'tiny')).toBe('ROOM_FULL');
    expect(await attempt(second.page, await stack.token('second', { rooms: ['elsewhere'] }), 'tiny')).toBe('FORBIDDEN');
  });

  it("tells every peer when an administrator closes the room (room.closed, reason 'admin')", async () => {
    const ada = await peer('ada');
    await ada.join({ token: await stack.token('ada'), room: 'doomed', name: 'Ada' });
    expect((await stack.admin('DELETE', '/v1/admin/rooms/doomed')).status).toBe(204);
    await ada.waitForLog('closed:admin');
    expect(await ada.page.evaluate(() => (window as HarnessWindow).peer.client.rooms.has('doomed'))).toBe(false);
  });

  it('closes the client for good with KICKED when an administrator removes the peer', async () => {
    const ada = await peer('ada');
    await ada.join({ token: await stack.token('ada'), room: 'kick', name: 'Ada' });
    // The log listens from the moment of joining, so the final `disconnected` cannot be missed.
    expect((await stack.admin('DELETE', `/v1/admin/rooms/kick/peers/${ada.peerId}`)).status).toBe(204);
    await ada.waitForLog(/^disconnected:/, 20_000).catch(() => undefined);
    expect((await ada.log()).filter((entry) => entry.startsWith('disconnected:'))).toEqual(['disconnected:KICKED']);
    expect(await ada.log()).not.toContain('resumed');
  });
});
