import type { RoomDetail, ServerMessage } from '@parley/protocol';
import { waitFor } from '@parley/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const GRACE_MS = 20_000;

describe('resuming a session', () => {
  let t: TestServer | undefined;
  let clock: FakeClock;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  async function setup(config: Parameters<typeof startTestServer>[0] = {}) {
    clock = new FakeClock();
    t = await startTestServer({ clock, ...config, config: { session: { resumeGraceMs: GRACE_MS }, ...config.config } });
    const alice = await t.joinAs('alice', 'call');
    const bob = await t.joinAs('bob', 'call');
    await alice.client.nextOf('peer.joined');
    // Everything alice receives from here on is what a resume may or may not show her.
    const sinceSetup = () => alice.client.received.slice(setupFrames);
    const setupFrames = alice.client.received.length;
    return { alice, bob, t, sinceSetup };
  }

  /** Waits until the server has noticed that `peerId` dropped (it shows as disconnected). */
  async function detached(server: TestServer, room: string, peerId: string) {
    await waitFor(
      async () => {
        const detail = await server.admin<RoomDetail>('GET', `/v1/admin/rooms/${room}`);
        return detail.body.peers.find((peer) => peer.peerId === peerId)?.connected === false;
      },
      { what: `${peerId} detached` },
    );
  }

  async function reconnect(server: TestServer, userId: string, resumeToken: string, received?: number) {
    const token = await server.server.mintToken({ userId, rooms: ['call'], create: true });
    const counted = received === undefined ? '' : `&received=${received}`;
    const client = await TestClient.connect(`${server.server.wsUrl}?access_token=${token}&resume=${encodeURIComponent(resumeToken)}${counted}`);
    const session = await client.nextOf('session');
    return { client, session };
  }

  const flaps = (frames: ServerMessage[]) => frames.filter((frame) => frame.type === 'peer.left' || frame.type === 'peer.joined');

  it('keeps the peer id and rooms, shows no leave/join to others, and delivers what was sent meanwhile in order', async () => {
    const { alice, bob, t: server, sinceSetup } = await setup();
    await bob.client.terminate();
    await detached(server, 'call', bob.session.peerId);

    for (let seq = 0; seq < 50; seq++) {
      const ack = await alice.client.request({ type: 'signal', room: 'call', to: bob.session.peerId, payload: { kind: 'candidate', seq } });
      expect(ack.type).toBe('ack');
    }
    await alice.client.request({ type: 'room.state.set', room: 'call', key: 'topic', value: 'resume' });
    clock.advance(GRACE_MS - 1000);

    const resumed = await reconnect(server, 'bob', bob.session.resumeToken);
    expect(resumed.session).toMatchObject({ type: 'session', peerId: bob.session.peerId, resumed: true, rooms: ['call'] });
    expect(resumed.session.resumeToken).not.toBe(bob.session.resumeToken);
    for (let seq = 0; seq < 50; seq++) {
      expect(await resumed.client.nextOf('signal')).toEqual({ type: 'signal', room: 'call', from: alice.session.peerId, payload: { kind: 'candidate', seq } });
    }
    expect(await resumed.client.nextOf('room.state')).toMatchObject({ key: 'topic', value: 'resume' });
    // The first frames after `session` were exactly the buffered ones, in order.
    expect(resumed.client.received.slice(1, 51).every((frame) => frame.type === 'signal')).toBe(true);

    // Live traffic flows both ways again, and the grace timer no longer applies.
    resumed.client.send({ type: 'signal', room: 'call', to: alice.session.peerId, payload: { kind: 'answer' } });
    expect(await alice.client.nextOf('signal')).toMatchObject({ from: bob.session.peerId, payload: { kind: 'answer' } });
    clock.advance(GRACE_MS * 2);
    await alice.client.idle(100);
    expect(flaps(sinceSetup())).toEqual([]);
  });

  it('resends what was written to the dead connection when the client says how many frames it received', async () => {
    const { alice, bob, t: server, sinceSetup } = await setup();
    // Frames bob has really received, apart from `session`.
    const received = bob.client.received.filter((frame) => frame.type !== 'session').length;
    // Bob stops reading: what the server writes now is lost with the connection.
    (bob.client.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
    for (let seq = 0; seq < 20; seq++) {
      expect((await alice.client.request({ type: 'signal', room: 'call', to: bob.session.peerId, payload: { seq } })).type).toBe('ack');
    }
    await bob.client.terminate();
    await detached(server, 'call', bob.session.peerId);
    for (let seq = 20; seq < 25; seq++) await alice.client.request({ type: 'signal', room: 'call', to: bob.session.peerId, payload: { seq } });

    const resumed = await reconnect(server, 'bob', bob.session.resumeToken, received);
    expect(resumed.session).toMatchObject({ resumed: true, peerId: bob.session.peerId });
    for (let seq = 0; seq < 25; seq++) expect((await resumed.client.nextOf('signal')).payload).toEqual({ seq });
    expect(flaps(sinceSetup())).toEqual([]);
  });

  it('cannot resend frames lost with the dead connection when the client does not say what it received', async () => {
    const { alice, bob, t: server } = await setup();
    (bob.client.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
    for (let seq = 0; seq < 20; seq++) await alice.client.request({ type: 'signal', room: 'call', to: bob.session.peerId, payload: { seq } });
    await bob.client.terminate();
    await detached(server, 'call', bob.session.peerId);
    await alice.client.request({ type: 'signal', room: 'call', to: bob.session.peerId, payload: { seq: 20 } });
    const resumed = await reconnect(server, 'bob', bob.session.resumeToken);
    // Only the frame buffered after the drop was noticed arrives: this is the gap ?received= closes.
    expect((await resumed.client.nextOf('signal')).payload).toEqual({ seq: 20 });
    expect((await resumed.client.idle(50)).filter((frame) => frame.type === 'signal')).toEqual([]);
  });

  it('starts afresh rather than resume with a gap when the frames the client missed are no longer kept', async () => {
    const { alice, bob, t: server } = await setup({ config: { session: { resumeGraceMs: GRACE_MS, replayFrames: 5 } } });
    const received = bob.client.received.filter((frame) => frame.type !== 'session').length;
    (bob.client.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
    for (let seq = 0; seq < 20; seq++) await alice.client.request({ type: 'signal', room: 'call', to: bob.session.peerId, payload: { seq } });
    await bob.client.terminate();
    await detached(server, 'call', bob.session.peerId);
    const late = await reconnect(server, 'bob', bob.session.resumeToken, received);
    expect(late.session.resumed).toBe(false);
    expect(await late.client.nextOf('error')).toMatchObject({ code: 'RESUME_FAILED' });
    expect(await alice.client.nextOf('peer.left')).toMatchObject({ peerId: bob.session.peerId, reason: 'disconnected' });
  });

  it('tells the others peer.left {reason: timeout} when the grace period lapses, and then refuses the resume', async () => {
    const { alice, bob, t: server } = await setup();
    await bob.client.terminate();
    await detached(server, 'call', bob.session.peerId);
    clock.advance(GRACE_MS - 1);
    expect(flaps(await alice.client.idle(50))).toEqual([]);
    clock.advance(1);
    expect(await alice.client.nextOf('peer.left')).toEqual({ type: 'peer.left', room: 'call', peerId: bob.session.peerId, reason: 'timeout' });

    const late = await reconnect(server, 'bob', bob.session.resumeToken);
    expect(late.session).toMatchObject({ resumed: false, rooms: [] });
    expect(late.session.peerId).not.toBe(bob.session.peerId);
    expect(await late.client.nextOf('error')).toMatchObject({ code: 'RESUME_FAILED' });
  });

  it('retires the old connection with SESSION_REPLACED when the client resumes before the server noticed the drop', async () => {
    const { alice, bob, t: server } = await setup();
    const resumed = await reconnect(server, 'bob', bob.session.resumeToken);
    expect(resumed.session).toMatchObject({ peerId: bob.session.peerId, resumed: true, rooms: ['call'] });
    expect(await bob.client.closed).toEqual({ code: 4409, reason: 'SESSION_REPLACED' });
    alice.client.send({ type: 'signal', room: 'call', to: bob.session.peerId, payload: 'after' });
    expect(await resumed.client.nextOf('signal')).toMatchObject({ payload: 'after' });
    expect(flaps(await alice.client.idle(50))).toEqual([]);
  });

  it("refuses another user's resume token and leaves the owner's session alone", async () => {
    const { bob, t: server, sinceSetup } = await setup();
    await bob.client.terminate();
    await detached(server, 'call', bob.session.peerId);
    const thief = await reconnect(server, 'mallory', bob.session.resumeToken);
    expect(thief.session).toMatchObject({ resumed: false, userId: 'mallory' });
    expect(thief.session.peerId).not.toBe(bob.session.peerId);
    const owner = await reconnect(server, 'bob', bob.session.resumeToken);
    expect(owner.session).toMatchObject({ resumed: true, peerId: bob.session.peerId });
    expect(flaps(sinceSetup())).toEqual([]);
  });

  it('ends the session instead of resuming with a gap when its buffer overflows', async () => {
    const { alice, bob, t: server } = await setup({ config: { session: { resumeGraceMs: GRACE_MS, resumeBufferMessages: 10 } } });
    await bob.client.terminate();
    await detached(server, 'call', bob.session.peerId);
    for (let seq = 0; seq < 11; seq++) alice.client.send({ type: 'signal', room: 'call', to: bob.session.peerId, payload: { seq } });
    expect(await alice.client.nextOf('peer.left')).toMatchObject({ peerId: bob.session.peerId, reason: 'disconnected' });
    const late = await reconnect(server, 'bob', bob.session.resumeToken);
    expect(late.session.resumed).toBe(false);
  });

  it('delivers room.closed on resume when the room closed meanwhile, and the session no longer lists it', async () => {
    const { bob, t: server } = await setup();
    await bob.client.terminate();
    await detached(server, 'call', bob.session.peerId);
    expect((await server.admin('DELETE', '/v1/admin/rooms/call')).status).toBe(204);
    const resumed = await reconnect(server, 'bob', bob.session.resumeToken);
    expect(resumed.session).toMatchObject({ resumed: true, rooms: [] });
    expect(await resumed.client.nextOf('room.closed')).toEqual({ type: 'room.closed', room: 'call', reason: 'admin' });
  });
});
