import { SERVER_VERSION } from '@parley/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserPeerState, logIn, newPage, numberAt, startBrowserPeer } from './support/browser';
import { keepScreenshot } from './support/screenshots';
import { startStack, type Stack } from './support/stack';
import { WsPeer } from './support/ws-peer';

/**
 * The dashboard in headless Chromium against a real deployment on loopback: signal server, TURN
 * relay, WebSocket peers and a pair of WebRTC peers in Chromium relayed through TURN. The tests
 * run in order and share the deployment, like an operator's session.
 */
describe('admin dashboard against a live signal server and TURN relay', () => {
  let stack: Stack;
  let page: Page;
  let adminToken: string;
  let alice: WsPeer;
  let bob: WsPeer;
  const POLL = { timeout: 30_000, interval: 250 };

  const tokenFor = (userId: string, room: string) => stack.signal.mintToken({ userId, rooms: [room], create: true });

  beforeAll(async () => {
    stack = await startStack();
    adminToken = await stack.signal.mintToken({ userId: 'ops@example.com', rooms: ['*'], admin: true });
    page = await newPage(stack.chromium.context);
  });

  afterAll(async () => {
    alice?.close();
    bob?.close();
    await stack?.stop();
  });

  it('logs in with an admin token and shows who is logged in', async () => {
    await page.goto(`${stack.dashboard.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await keepScreenshot(page, 'login');
    await logIn(page, stack.dashboard.url, adminToken);
    expect(await page.textContent('[data-testid=session-user]')).toBe('ops@example.com');
    const cookies = await stack.chromium.context.cookies(stack.dashboard.url);
    const session = cookies.find((cookie) => cookie.name === 'parley_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(session!.value).not.toContain(adminToken.split('.')[1]);
  });

  it('shows a room appear, live, with its peer count as peers join', async () => {
    await page.goto(`${stack.dashboard.url}/rooms`);
    await expect.poll(() => page.getAttribute('[data-testid=live-state]', 'data-state'), POLL).toBe('live');
    alice = await WsPeer.join(stack.signal.wsUrl, await tokenFor('alice', 'standup'), 'standup');
    bob = await WsPeer.join(stack.signal.wsUrl, await tokenFor('bob', 'standup'), 'standup');
    // No navigation: the live event stream re-renders the page.
    const row = page.locator('[data-testid=room-row][data-room=standup]');
    await expect.poll(() => row.getAttribute('data-peers'), POLL).toBe('2');
    expect(await row.locator('[data-testid=room-peer-count]').textContent()).toContain('2 /');
  });

  it("shows the WebRTC peers' path through the TURN relay and their RTT", async () => {
    const options = { wsUrl: stack.signal.wsUrl, room: 'media', forceRelay: true, pumpIntervalMs: 20, statsIntervalMs: 500 };
    const peerOptions = async (name: string) => {
      const token = await tokenFor(name, 'media');
      // TURN credentials minted for the room, so the relay attributes the usage to it.
      const credentials = await fetch(`${stack.signal.url}/v1/turn/credentials`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ room: 'media' }),
      });
      expect(credentials.status).toBe(200);
      const { iceServers } = (await credentials.json()) as { iceServers: { urls: string[] }[] };
      return { ...options, name, token, iceServers };
    };
    const carol = await startBrowserPeer(stack.chromium.context, `${stack.dashboard.url}/healthz`, await peerOptions('carol'));
    const dave = await startBrowserPeer(stack.chromium.context, `${stack.dashboard.url}/healthz`, await peerOptions('dave'));
    for (const peer of [carol, dave]) {
      await expect.poll(async () => (await browserPeerState(peer)).lastStats?.[0]?.path, { ...POLL, timeout: 60_000 }).toBe('relay');
    }
    expect((await browserPeerState(carol)).bytesReceived).toBeGreaterThan(0);

    await page.goto(`${stack.dashboard.url}/rooms/media`);
    const rows = page.locator('[data-testid=peer-row]');
    await expect.poll(() => rows.count(), POLL).toBe(2);
    for (const user of ['carol', 'dave']) {
      const row = page.locator(`[data-testid=peer-row][data-user-id=${user}]`);
      await expect.poll(() => row.locator('[data-testid=peer-path]').getAttribute('data-path'), POLL).toBe('relay');
      expect(await row.locator('[data-testid=peer-path]').getAttribute('data-relay-protocol')).toBe('udp');
      expect(await row.locator('[data-testid=peer-path]').textContent()).toBe('relay over UDP');
      await expect.poll(async () => Number(await row.locator('[data-testid=peer-rtt]').getAttribute('data-value')), POLL).toBeGreaterThan(0);
      expect(await row.locator('[data-testid=peer-rtt]').textContent()).toMatch(/ms$/);
    }
    await keepScreenshot(page, 'room-detail');
  });

  it('shows relay bytes growing on the TURN page', async () => {
    await page.goto(`${stack.dashboard.url}/turn`);
    await expect.poll(() => numberAt(page, '[data-testid=turn-relay-bytes]'), POLL).toBeGreaterThan(0);
    const first = await numberAt(page, '[data-testid=turn-relay-bytes]');
    // Live re-renders carry the TURN node's newer counters (polled every second).
    await expect.poll(() => numberAt(page, '[data-testid=turn-relay-bytes]'), POLL).toBeGreaterThan(first + 100_000);
    expect(await page.getAttribute('[data-testid=turn-nodes-healthy]', 'data-value')).toBe('1');
    await expect.poll(() => page.locator('[data-testid=top-users] tr[data-key=carol]').count(), POLL).toBe(1);
    await expect.poll(() => page.locator('[data-testid=top-rooms] tr[data-key=media]').count(), POLL).toBe(1);
    await keepScreenshot(page, 'turn');
  });

  it('shows the overview with peers, rooms, relay bandwidth and charts from the history', async () => {
    await page.goto(`${stack.dashboard.url}/`);
    await expect.poll(() => numberAt(page, '[data-testid=stat-peers]'), POLL).toBe(4);
    expect(await numberAt(page, '[data-testid=stat-rooms]')).toBe(2);
    await expect.poll(() => numberAt(page, '[data-testid=stat-allocations]'), POLL).toBeGreaterThanOrEqual(2);
    await expect.poll(() => numberAt(page, '[data-testid=stat-relay]'), POLL).toBeGreaterThan(0);
    await expect.poll(async () => Number(await page.getAttribute('[data-testid=chart-peers]', 'data-points')), POLL).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-testid=chart-peers] svg.recharts-surface').count()).toBeGreaterThan(0);
    await keepScreenshot(page, 'overview');
  });

  it('shows the signal node with its version, uptime and readiness', async () => {
    await page.goto(`${stack.dashboard.url}/cluster`);
    const row = page.locator('[data-testid=signal-node-row][data-node-id=signal-test]');
    expect(await row.getAttribute('data-ready')).toBe('true');
    expect(await row.locator('[data-testid=signal-node-version]').textContent()).toBe(SERVER_VERSION);
    await keepScreenshot(page, 'cluster');
  });

  it('fits laptop and desktop widths without sideways scrolling', async () => {
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of ['/', '/rooms', '/rooms/media', '/turn', '/cluster']) {
        await page.goto(`${stack.dashboard.url}${path}`);
        await page.locator('main h1').first().waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(0);
      }
    }
    await page.setViewportSize({ width: 1366, height: 860 });
  });

  it('kicks a peer: it really gets disconnected and the others see it leave', async () => {
    await page.goto(`${stack.dashboard.url}/rooms/standup`);
    await keepScreenshot(page, 'room-before-kick');
    const row = page.locator(`[data-testid=peer-row][data-peer-id=${alice.peerId}]`);
    await row.locator('[data-testid=kick]').click();
    await row.locator('[data-testid=kick-confirm]').click();
    await expect.poll(() => alice.closed?.code, POLL).toBe(4440);
    const left = await bob.next('peer.left', (message) => message.peerId === alice.peerId);
    expect(left.reason).toBe('kicked');
    await expect.poll(() => page.locator(`[data-testid=peer-row][data-peer-id=${alice.peerId}]`).count(), POLL).toBe(0);
    expect(stack.signalLogs).toContainEqual(
      expect.objectContaining({ msg: 'admin action', action: 'peer.kick', actor: 'ops@example.com', room: 'standup', peerId: alice.peerId, outcome: 'ok' }),
    );
    expect(stack.dashboard.logs).toContainEqual(expect.objectContaining({ msg: 'admin action', action: 'peer.kick', userId: 'ops@example.com', outcome: 'ok' }));
  });

  it('closes a room: its peers get room.closed and the room leaves the list', async () => {
    await page.goto(`${stack.dashboard.url}/rooms/standup`);
    await page.click('[data-testid=close-room]');
    await page.click('[data-testid=close-room-confirm]');
    await page.waitForURL(`${stack.dashboard.url}/rooms?closed=standup`);
    const closed = await bob.next('room.closed');
    expect(closed).toMatchObject({ room: 'standup', reason: 'admin' });
    expect(await page.locator('[data-testid=room-row][data-room=standup]').count()).toBe(0);
    expect(await page.locator('[data-testid=room-row][data-room=media]').count()).toBe(1);
    expect(stack.signalLogs).toContainEqual(expect.objectContaining({ msg: 'admin action', action: 'room.close', actor: 'ops@example.com', room: 'standup', outcome: 'ok' }));
  });

  it('shows the not-found page for a room that vanished', async () => {
    await page.goto(`${stack.dashboard.url}/rooms/standup`);
    await page.locator('[data-testid=room-not-found]').waitFor();
    await keepScreenshot(page, 'room-not-found');
  });

  it('creates a room, and shows the code when the server refuses one', async () => {
    await page.goto(`${stack.dashboard.url}/rooms`);
    await page.fill('[data-testid=create-room-name]', 'planning');
    await page.click('[data-testid=create-room-submit]');
    await expect.poll(() => page.getAttribute('[data-testid=create-room-outcome]', 'data-outcome'), POLL).toBe('ok');
    await expect.poll(() => page.locator('[data-testid=room-row][data-room=planning]').count(), POLL).toBe(1);

    await page.fill('[data-testid=create-room-name]', 'media');
    await page.click('[data-testid=create-room-submit]');
    await expect.poll(() => page.getAttribute('[data-testid=create-room-outcome]', 'data-code'), POLL).toBe('ROOM_EXISTS');
    expect(await page.textContent('[data-testid=create-room-outcome]')).toContain('ROOM_EXISTS');
    expect(stack.signalLogs).toContainEqual(expect.objectContaining({ msg: 'admin action', action: 'room.create', room: 'media', outcome: 'ROOM_EXISTS' }));
    await keepScreenshot(page, 'rooms-refused-action');
  });

  it('logs out; the pages then need a login again', async () => {
    await page.goto(`${stack.dashboard.url}/`);
    await page.click('[data-testid=logout]');
    await page.waitForURL(`${stack.dashboard.url}/login?loggedOut=1`);
    expect(await page.locator('[data-testid=logged-out]').count()).toBe(1);
    const cookies = await stack.chromium.context.cookies(stack.dashboard.url);
    expect(cookies.find((cookie) => cookie.name === 'parley_session')).toBeUndefined();
    await page.goto(`${stack.dashboard.url}/rooms`);
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('never prints the admin token in the dashboard or signal server logs', () => {
    expect(stack.dashboard.output()).not.toContain(adminToken);
    expect(JSON.stringify(stack.signalLogs)).not.toContain(adminToken);
  });
});
