import { launchChromium, waitFor, type LaunchedChromium } from '@parley/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPeer } from './support/browser-peer.js';
import type { HarnessWindow } from './support/page-types.js';
import { startStack, type TestStack } from './support/stack.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

/**
 * The signaling socket of one peer is cut mid-call (connection reset by a proxy, reconnects
 * refused for a while). The SDK reconnects with its resume token inside the grace period: it keeps
 * its peer id, the other side never sees it leave, messages sent meanwhile arrive afterwards, and
 * media and data keep flowing through the relay the whole time.
 */
describe('signaling blip during a call', () => {
  let chromium: LaunchedChromium;
  let stack: TestStack;
  let proxy: TcpProxy;
  let ada: BrowserPeer;
  let bob: BrowserPeer;

  beforeAll(async () => {
    stack = await startStack();
    proxy = await startTcpProxy(stack.signal.port);
    chromium = await launchChromium();
    ada = await BrowserPeer.open(chromium.context, stack.signal.url, 'ada');
    bob = await BrowserPeer.open(chromium.context, stack.signal.url, 'bob');
    await ada.join({ token: await stack.token('ada'), room: 'blip', name: 'Ada', media: true, serverUrl: proxy.url });
    await bob.join({ token: await stack.token('bob'), room: 'blip', name: 'Bob', media: true });
    await ada.waitConnected([bob.peerId]);
    await bob.waitConnected([ada.peerId]);
  });
  afterAll(async () => {
    await ada?.close();
    await bob?.close();
    await chromium?.close();
    await proxy?.close();
    await stack?.stop();
  });

  it('resumes the session: same peer id, no peer.left on the other side, the call keeps flowing', async () => {
    const framesBefore = (await bob.connectionStats(ada.peerId)).framesDecoded;
    const connectionsBefore = proxy.connectionsAccepted;

    proxy.cut(1_500);
    await ada.waitForLog(/^reconnecting:/);
    // While ada is away: chat still flows peer to peer, and bob's broadcast waits for her on the server.
    expect(await bob.sendChat('during the blip')).toEqual([ada.peerId]);
    expect(await ada.waitForChat('during the blip')).toBe(bob.peerId);
    await bob.page.evaluate(() => (window as HarnessWindow).peer.room.broadcast({ note: 'sent while ada was away' }));

    await ada.waitForLog('resumed');
    expect(proxy.connectionsAccepted).toBeGreaterThan(connectionsBefore);
    const adaAfter = await ada.page.evaluate(() => {
      const { peer } = window as HarnessWindow;
      return { peerId: peer.client.peerId, roomSelf: peer.room.self.peerId, broadcasts: peer.broadcasts, state: peer.client.state };
    });
    expect(adaAfter.peerId).toBe(ada.peerId);
    expect(adaAfter.roomSelf).toBe(ada.peerId);
    expect(adaAfter.state).toBe('connected');
    await waitFor(() => ada.page.evaluate(() => (window as HarnessWindow).peer.broadcasts.length > 0), { what: 'the buffered broadcast' });
    expect(await ada.page.evaluate(() => (window as HarnessWindow).peer.broadcasts)).toEqual([{ note: 'sent while ada was away' }]);

    // Signaling works again end to end: an ICE restart renegotiates through the server.
    await ada.page.evaluate(() => (window as HarnessWindow).peer.room.restartIce());
    await ada.waitForLog(new RegExp(`^negotiation:${bob.peerId}:answer-received$`));
    await ada.waitConnected([bob.peerId]);

    // Media never stopped: bob keeps decoding ada's video.
    await waitFor(async () => (await bob.connectionStats(ada.peerId)).framesDecoded > framesBefore + 30, { timeoutMs: 20_000, what: 'frames after the blip' });
    expect(await ada.sendChat('back')).toEqual([bob.peerId]);
    expect(await bob.waitForChat('back')).toBe(ada.peerId);

    const bobLog = await bob.log();
    expect(bobLog.filter((entry) => entry.startsWith('peer.left') || entry.startsWith('peer.joined'))).toEqual([]);
    expect(await ada.log()).not.toContain('session.restarted');
  });

  it('restarts ICE when the browser reports that the network came back, and stays in the call', async () => {
    // Playwright's offline emulation fires the page's offline/online events.
    await ada.page.context().setOffline(true);
    await ada.page.waitForFunction(() => !navigator.onLine);
    await ada.page.context().setOffline(false);
    await ada.waitForLog(`ice.restart:${bob.peerId}:requested`);
    await ada.waitForLog(new RegExp(`^negotiation:${bob.peerId}:answer-(received|sent)$`));
    await ada.waitConnected([bob.peerId]);
    await bob.waitConnected([ada.peerId]);
    expect(await bob.sendChat('still with you')).toEqual([ada.peerId]);
    expect(await ada.waitForChat('still with you')).toBe(bob.peerId);
    expect((await bob.log()).filter((entry) => entry.startsWith('peer.left'))).toEqual([]);
  });
});

/**
 * When the blip outlasts the server's grace period the old session is gone: the SDK gets a fresh
 * session, says so, joins its rooms again under the new peer id and rebuilds the call.
 */
describe('signaling outage longer than the resume grace period', () => {
  let chromium: LaunchedChromium;
  let stack: TestStack;
  let proxy: TcpProxy;
  let ada: BrowserPeer;
  let bob: BrowserPeer;

  beforeAll(async () => {
    stack = await startStack({ signal: { session: { resumeGraceMs: 300 } } });
    proxy = await startTcpProxy(stack.signal.port);
    chromium = await launchChromium();
    ada = await BrowserPeer.open(chromium.context, stack.signal.url, 'ada');
    bob = await BrowserPeer.open(chromium.context, stack.signal.url, 'bob');
    await ada.join({ token: await stack.token('ada'), room: 'outage', name: 'Ada', serverUrl: proxy.url });
    await bob.join({ token: await stack.token('bob'), room: 'outage', name: 'Bob' });
    await ada.waitConnected([bob.peerId]);
  });
  afterAll(async () => {
    await ada?.close();
    await bob?.close();
    await chromium?.close();
    await proxy?.close();
    await stack?.stop();
  });

  it('rejoins under a new peer id and reconnects the call', async () => {
    const oldPeerId = ada.peerId;
    proxy.cut(2_000);
    await ada.waitForLog('session.restarted', 30_000);
    await ada.waitForLog('rejoined');
    const newPeerId = await ada.page.evaluate(() => (window as HarnessWindow).peer.room.self.peerId);
    expect(newPeerId).not.toBe(oldPeerId);
    // bob saw the old session time out and the new one arrive.
    await bob.waitForLog(`peer.left:${oldPeerId}:timeout`);
    await bob.waitForLog(`peer.joined:${newPeerId}`);
    await bob.waitConnected([newPeerId]);
    await ada.waitConnected([bob.peerId]);
    expect(await bob.sendChat('welcome back')).toEqual([newPeerId]);
    expect(await ada.waitForChat('welcome back')).toBe(bob.peerId);
  });
});
