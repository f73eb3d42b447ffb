import type { ServerMessageOf } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

type Joined = Awaited<ReturnType<TestServer['joinAs']>>;

describe('join, signal and leave over real sockets', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ config: { limits: { messagesPerSecond: 10_000, messagesBurst: 10_000, bytesBurst: 50_000_000, bytesPerSecond: 50_000_000 } } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('starts every connection with a session message carrying a peer id and a resume token', async () => {
    const { session } = await t.connect({ userId: 'solo', rooms: ['x'] });
    expect(session).toMatchObject({ type: 'session', userId: 'solo', resumed: false, rooms: [], resumeGraceMs: 20_000, iceServers: [], turnExpiresAt: 0 });
    expect(session.peerId).toMatch(/^p_[A-Za-z0-9_-]+$/);
    expect(session.resumeToken.length).toBeGreaterThanOrEqual(32);
  });

  it('relays a signal between two peers of a room, with the sender as `from`', async () => {
    const alice = await t.joinAs('alice', 'r1');
    const bob = await t.joinAs('bob', 'r1');
    const joined = await alice.client.nextOf('peer.joined');
    expect(joined.peer.peerId).toBe(bob.session.peerId);
    const ack = await alice.client.request({ type: 'signal', room: 'r1', to: bob.session.peerId, payload: { kind: 'offer', sdp: 'v=0' } });
    expect(ack.type).toBe('ack');
    const signal = await bob.client.nextOf('signal');
    expect(signal).toEqual({ type: 'signal', room: 'r1', from: alice.session.peerId, payload: { kind: 'offer', sdp: 'v=0' } });
  });

  for (const size of [2, 3, 5, 10]) {
    it(`joins ${size} peers with consistent polite roles, meshes signals, and tells everyone who left`, async () => {
      const room = `mesh-${size}`;
      const peers: Joined[] = [];
      for (let index = 0; index < size; index++) {
        const peer = await t.joinAs(`user-${size}-${index}`, room, { name: `Peer ${index}` });
        // The newcomer sees everyone already there, and is impolite towards each of them.
        expect(peer.joined.peers.map((other) => other.peerId)).toEqual(peers.map((other) => other.session.peerId));
        expect(peer.joined.peers.every((other) => other.polite === false)).toBe(true);
        expect(peer.joined.self).toMatchObject({ peerId: peer.session.peerId, meta: { name: `Peer ${index}` } });
        // Everyone already there hears of the newcomer, and is polite towards it.
        for (const other of peers) {
          const notice = await other.client.nextOf('peer.joined');
          expect(notice.peer).toMatchObject({ peerId: peer.session.peerId, polite: true, meta: { name: `Peer ${index}` } });
        }
        peers.push(peer);
      }

      // Every peer sends an offer to every other; each receives exactly one from each.
      for (const sender of peers) {
        for (const receiver of peers) {
          if (sender === receiver) continue;
          sender.client.send({ type: 'signal', room, to: receiver.session.peerId, payload: { kind: 'offer', from: sender.session.peerId } });
        }
      }
      for (const receiver of peers) {
        const froms: string[] = [];
        for (let count = 0; count < size - 1; count++) {
          const signal = await receiver.client.nextOf('signal');
          expect((signal.payload as { from: string }).from).toBe(signal.from);
          froms.push(signal.from);
        }
        expect(froms.sort()).toEqual(peers.filter((peer) => peer !== receiver).map((peer) => peer.session.peerId).sort());
      }

      // The first peer leaves: it gets room.left, the others peer.left {reason: 'left'}.
      const [leaver, ...stayers] = peers;
      const left = await leaver!.client.request<ServerMessageOf<'room.left'>>({ type: 'room.leave', room });
      expect(left).toMatchObject({ type: 'room.left', room });
      for (const stayer of stayers) {
        expect(await stayer.client.nextOf('peer.left')).toEqual({ type: 'peer.left', room, peerId: leaver!.session.peerId, reason: 'left' });
      }
      // A closed connection leaves too (normal closure = deliberate).
      if (stayers.length > 1) {
        const [closer, ...rest] = stayers;
        await closer!.client.close(1000);
        for (const peer of rest) expect(await peer.client.nextOf('peer.left')).toMatchObject({ peerId: closer!.session.peerId, reason: 'left' });
      }
    });
  }

  it('delivers 2,000 signals between two peers in the order they were sent', async () => {
    const alice = await t.joinAs('order-a', 'order');
    const bob = await t.joinAs('order-b', 'order');
    const total = 2000;
    for (let seq = 0; seq < total; seq++) alice.client.send({ type: 'signal', room: 'order', to: bob.session.peerId, payload: { seq } });
    for (let seq = 0; seq < total; seq++) {
      const signal = await bob.client.nextOf('signal');
      expect((signal.payload as { seq: number }).seq).toBe(seq);
    }
  });

  it('broadcasts to every other member, shares room state with everyone, and hands state to newcomers', async () => {
    const a = await t.joinAs('bc-a', 'bc');
    const b = await t.joinAs('bc-b', 'bc');
    const c = await t.joinAs('bc-c', 'bc');
    await a.client.nextOf('peer.joined');
    await a.client.nextOf('peer.joined');
    await b.client.nextOf('peer.joined');
    expect((await a.client.request({ type: 'room.broadcast', room: 'bc', data: { text: 'hello' } })).type).toBe('ack');
    for (const other of [b, c]) expect(await other.client.nextOf('room.broadcast')).toEqual({ type: 'room.broadcast', room: 'bc', from: a.session.peerId, data: { text: 'hello' } });
    expect(a.client.pending().some((frame) => frame.type === 'room.broadcast')).toBe(false);

    expect((await b.client.request({ type: 'room.state.set', room: 'bc', key: 'presenter', value: b.session.peerId })).type).toBe('ack');
    for (const member of [a, b, c]) {
      expect(await member.client.nextOf('room.state')).toEqual({ type: 'room.state', room: 'bc', key: 'presenter', value: b.session.peerId, from: b.session.peerId });
    }
    const d = await t.joinAs('bc-d', 'bc');
    expect(d.joined.state).toEqual({ presenter: b.session.peerId });
  });

  it('delivers a direct message to every session of the addressed user', async () => {
    const caller = await t.connect({ userId: 'caller', direct: true });
    const phone = await t.connect({ userId: 'callee' });
    const laptop = await t.connect({ userId: 'callee' });
    const ack = await caller.client.request({ type: 'direct', toUser: 'callee', data: { invite: 'room-9' } });
    expect(ack.type).toBe('ack');
    for (const device of [phone, laptop]) {
      expect(await device.client.nextOf('direct')).toEqual({ type: 'direct', fromUser: 'caller', fromPeer: caller.session.peerId, data: { invite: 'room-9' } });
    }
  });

  it('answers ping with pong and the server time', async () => {
    const { client } = await t.connect({ userId: 'pinger' });
    const pong = await client.request<ServerMessageOf<'pong'>>({ type: 'ping' });
    expect(pong.type).toBe('pong');
    expect(Math.abs(pong.serverTimeMs - Date.now())).toBeLessThan(60_000);
  });
});
