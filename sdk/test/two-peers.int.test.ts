import type { RoomDetail } from '@parley/protocol';
import { launchChromium, waitFor, type LaunchedChromium } from '@parley/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPeer } from './support/browser-peer.js';
import { startStack, type TestStack } from './support/stack.js';

/**
 * Two browsers in a call through Parley's signal server and Parley's TURN relay, relay-only,
 * once with TURN over UDP and once over TCP.
 */
describe.each(['udp', 'tcp'] as const)('two peers relay-only, TURN over %s', (transport) => {
  let chromium: LaunchedChromium;
  let stack: TestStack;
  let ada: BrowserPeer;
  let bob: BrowserPeer;
  const room = `call-${transport}`;

  beforeAll(async () => {
    stack = await startStack({ turnTransport: transport });
    chromium = await launchChromium();
    ada = await BrowserPeer.open(chromium.context, stack.signal.url, 'ada');
    bob = await BrowserPeer.open(chromium.context, stack.signal.url, 'bob');
    await ada.join({ token: await stack.token('ada'), room, name: 'Ada', media: true });
    await bob.join({ token: await stack.token('bob'), room, name: 'Bob', media: true });
    await ada.waitConnected([bob.peerId]);
    await bob.waitConnected([ada.peerId]);
  });
  afterAll(async () => {
    await ada?.close();
    await bob?.close();
    await chromium?.close();
    await stack?.stop();
  });

  it('delivers chat both ways over the data channel', async () => {
    expect(await ada.sendChat('hello bob')).toEqual([bob.peerId]);
    expect(await bob.sendChat('hi ada')).toEqual([ada.peerId]);
    expect(await bob.waitForChat('hello bob')).toBe(ada.peerId);
    expect(await ada.waitForChat('hi ada')).toBe(bob.peerId);
  });

  it('sends a 5 MB file that arrives intact (SHA-256 checked by the SDK and by WebCrypto)', async () => {
    const sent = await ada.sendRandomFile(bob.peerId, 5 * 1024 * 1024, `five-${transport}.bin`);
    const received = await bob.waitForFile(`five-${transport}.bin`);
    expect(received.sizeBytes).toBe(5 * 1024 * 1024);
    expect(sent.sdkSha256).toBe(sent.webCryptoSha256);
    expect(received.sha256).toBe(sent.webCryptoSha256);
    expect(received.webCryptoSha256).toBe(sent.webCryptoSha256);
    expect(sent.progressEvents).toBeGreaterThan(1);
  });

  it("decodes the other side's fake-camera video frames", async () => {
    const first = await bob.connectionStats(ada.peerId);
    await waitFor(async () => (await bob.connectionStats(ada.peerId)).framesDecoded > first.framesDecoded + 10, { timeoutMs: 20_000, what: 'more decoded frames' });
    const fromBob = await waitFor(async () => {
      const stats = await ada.connectionStats(bob.peerId);
      return stats.framesDecoded > 0 && stats;
    }, { timeoutMs: 20_000, what: 'frames decoded by ada' });
    expect(fromBob.framesDecoded).toBeGreaterThan(0);
  });

  it(`uses a relay/relay candidate pair, reaching the relay over ${transport}`, async () => {
    for (const [self, other] of [
      [ada, bob],
      [bob, ada],
    ] as const) {
      const { summary } = await self.connectionStats(other.peerId);
      expect(summary).toMatchObject({ path: 'relay', localCandidateType: 'relay', remoteCandidateType: 'relay', relayProtocol: transport });
    }
    // And the relay saw it: allocations attributed to both users.
    const users = new Set(stack.relay.turn.status().allocations.map((allocation) => allocation.userId));
    expect(users).toContain('ada');
    expect(users).toContain('bob');
  });

  it("reports stats to the server: the admin API shows each peer's path and RTT", async () => {
    const detail = await waitFor(
      async () => {
        const { status, body } = await stack.admin<RoomDetail>('GET', `/v1/admin/rooms/${room}`);
        return status === 200 && body.peers.length === 2 && body.peers.every((peer) => peer.quality.path === 'relay' && peer.quality.rttMs !== undefined) && body;
      },
      { timeoutMs: 20_000, what: 'relay path and RTT of both peers in the admin API' },
    );
    for (const peer of detail.peers) {
      expect(peer.quality.path).toBe('relay');
      expect(peer.quality.relayProtocol).toBe(transport);
      expect(peer.quality.rttMs).toBeGreaterThanOrEqual(0);
      expect(peer.quality.connections[0]?.remotePeerId).toBe(peer.peerId === ada.peerId ? bob.peerId : ada.peerId);
    }
    expect(detail.relayedPeerCount).toBe(2);
  });
});
