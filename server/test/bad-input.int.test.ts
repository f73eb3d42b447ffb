import type { ErrorCode, ServerMessage, ServerMessageOf } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from './support/test-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

type ErrorFrame = ServerMessageOf<'error'>;

/**
 * Every kind of bad input gets an `error` with a stable code (and the rid when one could be
 * read), the offender stays connected unless it is abuse, and bystanders see nothing.
 */
describe('bad input', () => {
  let t: TestServer;
  let offender: TestClient;
  let offenderPeerId: string;
  let bystanders: Awaited<ReturnType<TestServer['joinAs']>>[];

  beforeAll(async () => {
    t = await startTestServer({
      config: {
        ws: { maxMessageBytes: 4096, maxFrameBytes: 64 * 1024 },
        session: { maxRoomsPerSession: 2 },
        limits: { maxStateKeys: 2, messagesBurst: 1000, messagesPerSecond: 1000 },
      },
    });
    bystanders = [await t.joinAs('by-1', 'calm'), await t.joinAs('by-2', 'calm')];
    await bystanders[0]!.client.nextOf('peer.joined');
    const connected = await t.connect({ userId: 'offender', rooms: ['own', 'own2', 'own3', 'calm', 'small'], create: true, broadcast: false });
    offender = connected.client;
    offenderPeerId = connected.session.peerId;
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function expectError(code: ErrorCode, rid?: number | string): Promise<ErrorFrame> {
    const frame = (await offender.nextOf('error')) as ErrorFrame;
    expect(frame.code).toBe(code);
    expect(frame.rid).toBe(rid);
    return frame;
  }

  async function stillServed(): Promise<void> {
    const pong = await offender.request({ type: 'ping' });
    expect(pong.type).toBe('pong');
  }

  it('answers malformed JSON with MALFORMED_JSON and keeps the connection', async () => {
    offender.send('{"type":"ping",');
    await expectError('MALFORMED_JSON');
    offender.send('');
    await expectError('MALFORMED_JSON');
    await stillServed();
  });

  it('answers JSON that is not an object with INVALID_MESSAGE', async () => {
    for (const text of ['[]', '42', '"ping"', 'null']) {
      offender.send(text);
      await expectError('INVALID_MESSAGE');
    }
    await stillServed();
  });

  it('answers an unknown type with UNKNOWN_TYPE and its rid', async () => {
    offender.send({ type: 'room.destroy', rid: 11, room: 'calm' });
    await expectError('UNKNOWN_TYPE', 11);
    offender.send({ rid: 12 });
    await expectError('INVALID_MESSAGE', 12);
    await stillServed();
  });

  it('answers missing fields, wrong types, unknown fields and bad names with INVALID_MESSAGE and the rid', async () => {
    const cases: Record<string, unknown>[] = [
      { type: 'signal', rid: 21, room: 'calm', to: 'p_x' },
      { type: 'signal', rid: 22, room: 'calm', to: 42, payload: {} },
      { type: 'room.join', rid: 23 },
      { type: 'room.join', rid: 24, room: '../../etc/passwd' },
      { type: 'room.join', rid: 25, room: 'calm', admin: true },
      { type: 'room.state.set', rid: 26, room: 'calm', key: 'bad key!', value: 1 },
      { type: 'stats', rid: 27, room: 'calm', report: { connections: [{ remotePeerId: 'p', path: 'carrier-pigeon' }] } },
      { type: 'ping', rid: 'r'.repeat(64), extra: true },
    ];
    for (const message of cases) {
      offender.send(message);
      const frame = await expectError('INVALID_MESSAGE', message.rid as number | string);
      expect(typeof frame.message).toBe('string');
    }
    await stillServed();
  });

  it('answers a frame above the message limit with MESSAGE_TOO_LARGE without parsing it', async () => {
    offender.send(JSON.stringify({ type: 'ping', rid: 31, pad: 'x'.repeat(5000) }));
    await expectError('MESSAGE_TOO_LARGE');
    await stillServed();
  });

  it('answers a binary frame with BINARY_NOT_SUPPORTED', async () => {
    offender.sendBinary(new TextEncoder().encode('{"type":"ping"}'));
    await expectError('BINARY_NOT_SUPPORTED');
    await stillServed();
  });

  it('refuses messages for a room the connection has not joined with NOT_IN_ROOM', async () => {
    const messages: Record<string, unknown>[] = [
      { type: 'signal', rid: 41, room: 'calm', to: bystanders[0]!.session.peerId, payload: { sdp: 'x' } },
      { type: 'room.broadcast', rid: 42, room: 'calm', data: 1 },
      { type: 'room.state.set', rid: 43, room: 'calm', key: 'k', value: 1 },
      { type: 'stats', rid: 44, room: 'calm', report: { connections: [] } },
      { type: 'room.leave', rid: 45, room: 'calm' },
    ];
    for (const message of messages) {
      offender.send(message);
      await expectError('NOT_IN_ROOM', message.rid as number);
    }
    await stillServed();
  });

  it('refuses a signal to a peer that is not in the room with PEER_NOT_FOUND', async () => {
    const joined = await offender.request({ type: 'room.join', room: 'own' });
    expect(joined.type).toBe('room.joined');
    offender.send({ type: 'signal', rid: 51, room: 'own', to: bystanders[0]!.session.peerId, payload: { sdp: 'x' } });
    await expectError('PEER_NOT_FOUND', 51);
    offender.send({ type: 'signal', rid: 52, room: 'own', to: 'p_nobody', payload: { sdp: 'x' } });
    await expectError('PEER_NOT_FOUND', 52);
    await stillServed();
  });

  it('refuses joins the token or the room does not allow, each with its own code', async () => {
    offender.send({ type: 'room.join', rid: 61, room: 'not-granted' });
    await expectError('FORBIDDEN', 61);
    offender.send({ type: 'room.join', rid: 62, room: 'own' });
    await expectError('ALREADY_IN_ROOM', 62);
    expect((await offender.request({ type: 'room.join', room: 'own2' })).type).toBe('room.joined');
    offender.send({ type: 'room.join', rid: 63, room: 'own3' });
    await expectError('TOO_MANY_ROOMS', 63);
    await offender.request({ type: 'room.leave', room: 'own2' });

    const viewer = await t.connect({ userId: 'viewer', rooms: ['*'] });
    viewer.client.send({ type: 'room.join', rid: 64, room: 'nowhere' });
    const missing = (await viewer.client.nextOf('error')) as ErrorFrame;
    expect([missing.code, missing.rid]).toEqual(['ROOM_NOT_FOUND', 64]);
    await stillServed();
  });

  it('refuses a join beyond maxPeers with ROOM_FULL', async () => {
    const admin = await t.server.mintToken({ userId: 'root', admin: true });
    const created = await fetch(`${t.server.url}/v1/admin/rooms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'small', maxPeers: 1 }),
    });
    expect(created.status).toBe(201);
    const first = await t.connect({ userId: 'first', rooms: ['small'] });
    expect((await first.client.request({ type: 'room.join', room: 'small' })).type).toBe('room.joined');
    offender.send({ type: 'room.join', rid: 71, room: 'small' });
    await expectError('ROOM_FULL', 71);
    await stillServed();
  });

  it('refuses broadcast, state and direct without their grants, and direct to nobody', async () => {
    offender.send({ type: 'room.broadcast', rid: 81, room: 'own', data: 'x' });
    await expectError('FORBIDDEN', 81);
    offender.send({ type: 'room.state.set', rid: 82, room: 'own', key: 'k', value: 1 });
    await expectError('FORBIDDEN', 82);
    offender.send({ type: 'direct', rid: 83, toUser: 'by-1', data: 'x' });
    await expectError('FORBIDDEN', 83);
    const directUser = await t.connect({ userId: 'dialer', direct: true });
    directUser.client.send({ type: 'direct', rid: 84, toUser: 'no-such-user', data: 'x' });
    const frame = (await directUser.client.nextOf('error')) as ErrorFrame;
    expect([frame.code, frame.rid]).toEqual(['USER_NOT_FOUND', 84]);
    await stillServed();
  });

  it('refuses room state beyond its key limit with STATE_LIMIT', async () => {
    const member = await t.joinAs('stateful', 'state-room');
    for (const key of ['a', 'b']) expect((await member.client.request({ type: 'room.state.set', room: 'state-room', key, value: 1 })).type).toBe('ack');
    member.client.send({ type: 'room.state.set', rid: 91, room: 'state-room', key: 'c', value: 1 });
    const frame = (await member.client.nextOf('error')) as ErrorFrame;
    expect([frame.code, frame.rid]).toEqual(['STATE_LIMIT', 91]);
  });

  it('drops a connection that sends a frame above the transport limit without reading it, and only that one', async () => {
    const brute = await t.connect({ userId: 'brute' });
    brute.client.send('x'.repeat(100 * 1024));
    const closed = await brute.client.closed;
    // uWS cuts the TCP connection at once (no close frame: the client sees 1006).
    expect([1006, 1009]).toContain(closed.code);
    await stillServed();
  });

  it('leaves bystanders untouched: nothing extra arrived, and their traffic still flows', async () => {
    const [one, two] = bystanders as [Joined, Joined];
    const stray = (frames: ServerMessage[]) => frames.filter((frame) => frame.type !== 'peer.joined' && frame.type !== 'peer.left');
    expect(stray(one.client.pending())).toEqual([]);
    expect(stray(two.client.pending())).toEqual([]);
    one.client.send({ type: 'signal', room: 'calm', to: two.session.peerId, payload: { kind: 'answer' } });
    expect(await two.client.nextOf('signal')).toMatchObject({ from: one.session.peerId, payload: { kind: 'answer' } });
    expect(offenderPeerId).not.toBe(one.session.peerId);
  });
});

type Joined = Awaited<ReturnType<TestServer['joinAs']>>;
