import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@parley/test-support';
import nodeDataChannel from 'node-datachannel';
import { RTCPeerConnection as WeriftPeerConnection } from 'werift';
import type { TurnServer } from './server.js';
import { startLoopbackRelay } from '../test/loopback-relay.js';
import { mintTurnCredential } from './credentials.js';

/**
 * WebRTC stacks nobody here wrote, forced to relay-only ICE through our TURN: werift (pure
 * TypeScript) and node-datachannel (libdatachannel bindings) over UDP. Success means a DataChannel
 * message round-trips and our relay reports traffic for both allocations.
 */
const SECRET = 'webrtc-peers-secret';

describe('WebRTC libraries relayed through our TURN', () => {
  let turn: TurnServer;

  beforeAll(async () => {
    turn = await startLoopbackRelay({ secret: SECRET });
  });
  afterAll(async () => {
    await turn?.stop();
  });

  function credential(userId: string) {
    return mintTurnCredential({ secret: SECRET, ttlSeconds: 600, nowSeconds: Date.now() / 1000, subject: { userId, sessionTag: randomBytes(4).toString('hex') } });
  }

  function relayedBytesOf(userId: string): number {
    return turn
      .status()
      .allocations.filter((allocation) => allocation.userId === userId)
      .reduce((sum, allocation) => sum + allocation.bytesToPeers + allocation.bytesFromPeers, 0);
  }

  it('werift peers with iceTransportPolicy relay exchange a DataChannel message through the relay', async () => {
    const cred = credential('werift');
    const config = { iceServers: [{ urls: `turn:127.0.0.1:${turn.udpPort}`, username: cred.username, credential: cred.credential }], iceTransportPolicy: 'relay' as const };
    const a = new WeriftPeerConnection(config);
    const b = new WeriftPeerConnection(config);
    try {
      const channel = a.createDataChannel('probe');
      b.onDataChannel.subscribe((remote) => {
        remote.onMessage.subscribe((data) => remote.send(`echo:${data.toString()}`));
      });
      const echoed = new Promise<string>((resolve) => channel.onMessage.subscribe((data) => resolve(data.toString())));
      channel.stateChanged.subscribe((state) => {
        if (state === 'open') channel.send('ping');
      });
      await a.setLocalDescription(await a.createOffer());
      await waitFor(() => a.iceGatheringState === 'complete', { what: 'werift A gathering', timeoutMs: 20_000 });
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription(await b.createAnswer());
      await waitFor(() => b.iceGatheringState === 'complete', { what: 'werift B gathering', timeoutMs: 20_000 });
      await a.setRemoteDescription(b.localDescription!);
      expect(a.localDescription!.sdp).toMatch(/typ relay/);
      expect(a.localDescription!.sdp).not.toMatch(/typ host/);
      const text = await Promise.race([echoed, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('werift: no echo within 30 s')), 30_000))]);
      expect(text).toBe('echo:ping');
      expect(relayedBytesOf('werift')).toBeGreaterThan(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('node-datachannel peers with iceTransportPolicy relay exchange a DataChannel message through the relay', async () => {
    const cred = credential('libdatachannel');
    const iceServer = { hostname: '127.0.0.1', port: turn.udpPort, username: cred.username, password: cred.credential, relayType: 'TurnUdp' as const };
    const a = new nodeDataChannel.PeerConnection('a', { iceServers: [iceServer], iceTransportPolicy: 'relay' });
    const b = new nodeDataChannel.PeerConnection('b', { iceServers: [iceServer], iceTransportPolicy: 'relay' });
    try {
      a.onLocalDescription((sdp, type) => b.setRemoteDescription(sdp, type));
      b.onLocalDescription((sdp, type) => a.setRemoteDescription(sdp, type));
      a.onLocalCandidate((candidate, mid) => b.addRemoteCandidate(candidate, mid));
      b.onLocalCandidate((candidate, mid) => a.addRemoteCandidate(candidate, mid));
      b.onDataChannel((remote) => remote.onMessage((message) => remote.sendMessage(`echo:${String(message)}`)));
      const channel = a.createDataChannel('probe');
      const echoed = new Promise<string>((resolve) => channel.onMessage((message) => resolve(String(message))));
      channel.onOpen(() => channel.sendMessage('ping'));
      const text = await Promise.race([echoed, new Promise<string>((_, reject) => setTimeout(() => reject(new Error(`node-datachannel: no echo within 30 s (state ${a.state()})`)), 30_000))]);
      expect(text).toBe('echo:ping');
      const pair = a.getSelectedCandidatePair();
      expect(pair?.local.type).toBe('relay');
      expect(pair?.remote.type).toBe('relay');
      const relayed = turn
        .status()
        .allocations.filter((allocation) => allocation.userId === 'libdatachannel')
        .flatMap((allocation) => allocation.relayedAddresses);
      expect(relayed).toContain(`${pair?.remote.address}:${pair?.remote.port}`);
      expect(relayed).toContain(`${pair?.local.address}:${pair?.local.port}`);
      expect(relayedBytesOf('libdatachannel')).toBeGreaterThan(0);
    } finally {
      a.close();
      b.close();
    }
  });

  afterAll(() => nodeDataChannel.cleanup());
});
