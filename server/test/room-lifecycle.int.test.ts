import type { RoomDetail, ServerMessage } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/index.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** Room timeouts over real sockets, with the server's clock in the test's hand. */
describe('room lifecycle', () => {
  let t: TestServer | undefined;
  let clock: FakeClock;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  async function setup() {
    clock = new FakeClock();
    t = await startTestServer({ clock, config: { rooms: { emptyTimeoutSeconds: 300, departureTimeoutSeconds: 20, maxDurationSeconds: 0 } } });
    return t;
  }

  const closedFrames = (frames: ServerMessage[]) => frames.filter((frame) => frame.type === 'room.closed');

  it('closes an admin-created room nobody joined after its empty timeout', async () => {
    const server = await setup();
    expect((await server.admin('POST', '/v1/admin/rooms', { name: 'webinar', emptyTimeoutSeconds: 60 })).status).toBe(201);
    const detail = await server.admin<RoomDetail>('GET', '/v1/admin/rooms/webinar');
    expect(detail.body.closesAtMs).toBe(clock.now() + 60_000);
    clock.advance(59_999);
    expect((await server.admin('GET', '/v1/admin/rooms/webinar')).status).toBe(200);
    clock.advance(1);
    expect((await server.admin('GET', '/v1/admin/rooms/webinar')).status).toBe(404);
  });

  it('keeps a room with peers past the empty timeout', async () => {
    const server = await setup();
    await server.admin('POST', '/v1/admin/rooms', { name: 'busy', emptyTimeoutSeconds: 60 });
    const peer = await server.joinAs('p', 'busy');
    clock.advance(3_600_000);
    expect(closedFrames(await peer.client.idle(50))).toEqual([]);
    expect((await server.admin('GET', '/v1/admin/rooms/busy')).status).toBe(200);
  });

  it('closes a room its departure timeout after the last peer left, and not if someone returns in time', async () => {
    const server = await setup();
    const first = await server.joinAs('a', 'standup');
    await first.client.request({ type: 'room.leave', room: 'standup' });
    clock.advance(19_000);
    const second = await server.joinAs('b', 'standup');
    clock.advance(60_000);
    expect((await server.admin('GET', '/v1/admin/rooms/standup')).status).toBe(200);
    await second.client.request({ type: 'room.leave', room: 'standup' });
    const detail = await server.admin<RoomDetail>('GET', '/v1/admin/rooms/standup');
    expect(detail.body.closesAtMs).toBe(clock.now() + 20_000);
    clock.advance(20_000);
    expect((await server.admin('GET', '/v1/admin/rooms/standup')).status).toBe(404);
  });

  it('closes a room at its maximum duration and tells every peer room.closed {reason: max_duration}', async () => {
    const server = await setup();
    await server.admin('POST', '/v1/admin/rooms', { name: 'timed', maxDurationSeconds: 1800 });
    const peers = [await server.joinAs('a', 'timed'), await server.joinAs('b', 'timed'), await server.joinAs('c', 'timed')];
    clock.advance(1_799_999);
    expect(closedFrames(await peers[0]!.client.idle(30))).toEqual([]);
    clock.advance(1);
    for (const peer of peers) expect(await peer.client.nextOf('room.closed')).toEqual({ type: 'room.closed', room: 'timed', reason: 'max_duration' });
    // The room is gone and its former members may send nothing to it.
    expect((await server.admin('GET', '/v1/admin/rooms/timed')).status).toBe(404);
    peers[0]!.client.send({ type: 'room.broadcast', rid: 5, room: 'timed', data: 1 });
    expect(await peers[0]!.client.nextOf('error')).toMatchObject({ code: 'NOT_IN_ROOM', rid: 5 });
  });

  it('closes a room on request of the admin API with room.closed {reason: admin} to every peer', async () => {
    const server = await setup();
    const peers = [await server.joinAs('a', 'closing'), await server.joinAs('b', 'closing')];
    expect((await server.admin('DELETE', '/v1/admin/rooms/closing')).status).toBe(204);
    for (const peer of peers) expect(await peer.client.nextOf('room.closed')).toEqual({ type: 'room.closed', room: 'closing', reason: 'admin' });
    expect((await server.admin('DELETE', '/v1/admin/rooms/closing')).status).toBe(404);
    // The name is free again: a peer may create it anew.
    const again = await server.joinAs('c', 'closing');
    expect(again.joined.peers).toEqual([]);
  });

  it('applies the room options given at creation: maxPeers and metadata reach joiners', async () => {
    const server = await setup();
    await server.admin('POST', '/v1/admin/rooms', { name: 'duo', maxPeers: 2, metadata: { title: 'Pairing' } });
    const a = await server.joinAs('a', 'duo');
    expect(a.joined.metadata).toEqual({ title: 'Pairing' });
    await server.joinAs('b', 'duo');
    const third = await server.connect({ userId: 'c', rooms: ['duo'] });
    third.client.send({ type: 'room.join', rid: 1, room: 'duo' });
    expect(await third.client.nextOf('error')).toMatchObject({ code: 'ROOM_FULL', rid: 1 });
    expect((await server.admin('POST', '/v1/admin/rooms', { name: 'duo' })).body).toEqual({ error: { code: 'ROOM_EXISTS' } });
  });
});
