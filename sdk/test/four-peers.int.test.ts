import { launchChromium, type LaunchedChromium } from '@parley/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPeer } from './support/browser-peer.js';
import type { HarnessWindow } from './support/page-types.js';
import { startStack, type TestStack } from './support/stack.js';

/** A full mesh of four browsers, and glare between two of them, through the signal server. */
describe('four peers and glare through the signal server, relay-only', () => {
  let chromium: LaunchedChromium;
  let stack: TestStack;
  const peers: BrowserPeer[] = [];

  beforeAll(async () => {
    stack = await startStack();
    chromium = await launchChromium();
  });
  afterAll(async () => {
    for (const peer of peers) await peer.close();
    await chromium?.close();
    await stack?.stop();
  });

  it('connects every pair of four peers and chat from each reaches all the others', async () => {
    const names = ['ada', 'bob', 'cy', 'dee'];
    for (const name of names) {
      const peer = await BrowserPeer.open(chromium.context, stack.signal.url, name);
      await peer.join({ token: await stack.token(name), room: 'four', name });
      peers.push(peer);
    }
    for (const peer of peers) await peer.waitConnected(peers.filter((other) => other !== peer).map((other) => other.peerId));
    for (const peer of peers) {
      const sentTo = await peer.sendChat(`from ${peer.name}`);
      expect(new Set(sentTo)).toEqual(new Set(peers.filter((other) => other !== peer).map((other) => other.peerId)));
    }
    for (const receiver of peers) {
      for (const sender of peers) {
        if (sender === receiver) continue;
        expect(await receiver.waitForChat(`from ${sender.name}`)).toBe(sender.peerId);
      }
    }
    // Every connection is relayed: 4 peers x 3 connections.
    for (const peer of peers) {
      for (const other of peers) {
        if (other === peer) continue;
        expect((await peer.connectionStats(other.peerId)).summary.path).toBe('relay');
      }
    }
  });

  it('ends with both peers connected when both create offers at the same moment (glare)', async () => {
    const eve = await BrowserPeer.open(chromium.context, stack.signal.url, 'eve');
    const fay = await BrowserPeer.open(chromium.context, stack.signal.url, 'fay');
    peers.push(eve, fay);
    await eve.join({ token: await stack.token('eve'), room: 'glare', name: 'eve' });
    await fay.join({ token: await stack.token('fay'), room: 'glare', name: 'fay' });
    await eve.waitConnected([fay.peerId]);
    await fay.waitConnected([eve.peerId]);
    // Both pages add their camera at the same wall-clock instant, so both offers are in flight
    // before either arrives (creating an offer takes far longer than the clock skew between pages).
    const atMs = Date.now() + 500;
    const publish = (peer: BrowserPeer) =>
      peer.page.evaluate(async (at) => {
        const w = window as HarnessWindow;
        const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 180 } });
        await new Promise((resolve) => setTimeout(resolve, at - Date.now()));
        w.peer.room.publish(camera);
      }, atMs);
    await Promise.all([publish(eve), publish(fay)]);
    // fay joined later: impolite towards eve, so fay ignores eve's offer and eve rolls back.
    await fay.waitForLog(`negotiation:${eve.peerId}:offer-ignored`);
    await eve.waitForLog(`negotiation:${fay.peerId}:rolled-back`);
    await eve.waitConnected([fay.peerId]);
    await fay.waitConnected([eve.peerId]);
    for (const [self, other] of [
      [eve, fay],
      [fay, eve],
    ] as const) {
      await self.page.waitForFunction(
        async (id) => {
          const report = await (window as HarnessWindow).peer.room.mesh!.getStats(id)!;
          return [...report.values()].some((s) => s.type === 'inbound-rtp' && s.kind === 'video' && s.framesDecoded > 0);
        },
        other.peerId,
        { timeout: 20_000, polling: 200 },
      );
    }
    expect(await eve.sendChat('after glare')).toEqual([fay.peerId]);
    expect(await fay.waitForChat('after glare')).toBe(eve.peerId);
  });
});
