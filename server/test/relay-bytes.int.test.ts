import type { ErrorCode } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from './support/test-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * The relay splices the bytes a client sent into the frames it forwards (server/src/wire/frame.ts)
 * and scans `signal` frames as bytes: these tests send hand-written frames over real sockets and
 * compare what arrives byte for byte, for the cases a byte-level fast path could get wrong.
 */

/** The raw text of every frame `client` receives from now on. */
function rawFrames(client: TestClient): string[] {
  const frames: string[] = [];
  client.ws.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
  return frames;
}

async function until<T>(read: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Payloads as a client could write them: escapes, every kind of non-ASCII, nesting, whitespace. */
const PAYLOADS = [
  '{"kind":"offer","sdp":"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=\\"quoted\\" \\\\ back\\\\slash\\r\\n"}',
  '{"name":"Zoë 日本語 🎉","sep":"\u2028\u2029","escaped":"\\u00e9\\ud83c\\udf89\\/"}',
  '{"a":{"b":[1,{"c":[true,false,null,{"d":"}]\\"{["}]}],"e":-1.5e-3},"f":[]}',
  ' [ 1 ,\t{ "x" : "y" } ,\r\n"z" ] ',
  '"just a string with a \\" quote"',
  '0',
];

describe('relaying the bytes a client sent', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('forwards each signal payload exactly as written (escaped quotes, unicode, nested objects, whitespace)', async () => {
    const alice = await t.joinAs('alice', 'bytes');
    const bob = await t.joinAs('bob', 'bytes');
    const received = rawFrames(bob.client);
    for (const payload of PAYLOADS) {
      alice.client.send(`{"type":"signal","room":"bytes","to":"${bob.session.peerId}","payload":${payload}}`);
    }
    // Non-canonical envelopes too: another key order, a non-ASCII rid, whitespace between tokens.
    alice.client.send(`{ "payload" : ${PAYLOADS[1]} , "to":"${bob.session.peerId}", "rid":"ré", "room":"bytes" , "type":"signal" }`);
    // The payload is the JSON value itself: whitespace around it belongs to the envelope.
    const expected = [...PAYLOADS, PAYLOADS[1]!].map((payload) => `{"type":"signal","room":"bytes","from":"${alice.session.peerId}","payload":${payload.trim()}}`);
    const signals = await until(() => {
      const signals = received.filter((frame) => frame.startsWith('{"type":"signal"'));
      return signals.length >= expected.length ? signals : undefined;
    }, 'the signals');
    expect(signals).toEqual(expected);
    expect((await alice.client.nextOf('ack')).rid).toBe('ré');
  });

  it('names the right room and sender in signals a peer sends to several rooms in turn (the cached frame head follows the room)', async () => {
    const alice = await t.connect({ userId: 'alice-rooms', rooms: ['*'], create: true });
    await alice.client.request({ type: 'room.join', room: 'turn-a' });
    await alice.client.request({ type: 'room.join', room: 'turn-b' });
    const bob = await t.joinAs('bob-a', 'turn-a');
    const carol = await t.joinAs('carol-b', 'turn-b');
    const toBob = rawFrames(bob.client);
    const toCarol = rawFrames(carol.client);
    for (let index = 0; index < 4; index++) {
      alice.client.send(`{"type":"signal","room":"turn-a","to":"${bob.session.peerId}","payload":{"n":${index}}}`);
      alice.client.send(`{"type":"signal","room":"turn-b","to":"${carol.session.peerId}","payload":{"n":${index}}}`);
    }
    const expected = (room: string) => [0, 1, 2, 3].map((index) => `{"type":"signal","room":"${room}","from":"${alice.session.peerId}","payload":{"n":${index}}}`);
    const signals = (frames: string[]) => frames.filter((frame) => frame.startsWith('{"type":"signal"'));
    expect(await until(() => (signals(toBob).length >= 4 ? signals(toBob) : undefined), 'the signals to bob')).toEqual(expected('turn-a'));
    expect(await until(() => (signals(toCarol).length >= 4 ? signals(toCarol) : undefined), 'the signals to carol')).toEqual(expected('turn-b'));
  });

  it('forwards broadcast and direct data exactly as written, with a non-ASCII sender user id quoted in UTF-8', async () => {
    const sender = await t.connect({ userId: 'Zoë 🎉 "q"', rooms: ['cast'], create: true, broadcast: true, direct: true });
    await sender.client.request({ type: 'room.join', room: 'cast' });
    const listener = await t.joinAs('listener', 'cast');
    const received = rawFrames(listener.client);
    sender.client.send(`{"type":"room.broadcast","room":"cast","data":${PAYLOADS[1]}}`);
    sender.client.send(`{"type":"direct","toUser":"listener","data":${PAYLOADS[2]}}`);
    const frames = await until(() => (received.length >= 2 ? received.slice(0, 2) : undefined), 'broadcast and direct');
    expect(frames).toEqual([
      `{"type":"room.broadcast","room":"cast","from":"${sender.session.peerId}","data":${PAYLOADS[1]}}`,
      `{"type":"direct","fromUser":"Zoë 🎉 \\"q\\"","fromPeer":"${sender.session.peerId}","data":${PAYLOADS[2]}}`,
    ]);
  });

  it('answers malformed and invalid signals with the same codes as ever, and relays the next good one', async () => {
    const alice = await t.joinAs('carol', 'bad-bytes');
    const bob = await t.joinAs('dave', 'bad-bytes');
    const to = bob.session.peerId;
    const cases: [string, ErrorCode, number | string | undefined][] = [
      [`{"type":"signal","room":"bad-bytes","to":"${to}","payload":{"sdp":"unterminated}}`, 'MALFORMED_JSON', undefined],
      [`{"type":"signal","room":"bad-bytes","to":"${to}","payload":{"a":1,}}`, 'MALFORMED_JSON', undefined],
      [`{"type":"signal","room":"bad-bytes","to":"${to}","payload":"tab\there"}`, 'MALFORMED_JSON', undefined],
      [`{"type":"signal","rid":1,"room":"bad-bytes","to":"${to}"}`, 'INVALID_MESSAGE', 1],
      [`{"type":"signal","rid":"é","room":"bad bytes","to":"${to}","payload":1}`, 'INVALID_MESSAGE', 'é'],
      [`{"type":"signal","rid":3,"room":"bad-bytes","to":"${to}","payload":1,"extra":"ü"}`, 'INVALID_MESSAGE', 3],
      [`{"type":"signal","rid":4,"room":"elsewhere","to":"${to}","payload":1}`, 'NOT_IN_ROOM', 4],
      [`{"type":"signal","rid":5,"room":"bad-bytes","to":"p_nobody","payload":"ü"}`, 'PEER_NOT_FOUND', 5],
    ];
    for (const [frame, code, rid] of cases) {
      alice.client.send(frame);
      const error = await alice.client.nextOf('error');
      expect({ code: error.code, rid: error.rid }, frame).toEqual({ code, rid });
    }
    alice.client.send({ type: 'signal', room: 'bad-bytes', to, payload: { still: 'here' } });
    expect((await bob.client.nextOf('signal')).payload).toEqual({ still: 'here' });
  });

  it('refuses an oversize signal before reading it', async () => {
    const oversize = await startTestServer({ config: { ws: { maxMessageBytes: 1024 } } });
    try {
      const alice = await oversize.joinAs('erin', 'big');
      const bob = await oversize.joinAs('frank', 'big');
      alice.client.send(`{"type":"signal","rid":9,"room":"big","to":"${bob.session.peerId}","payload":"${'é'.repeat(600)}"}`);
      const error = await alice.client.nextOf('error');
      // Over the byte limit (1,200+ bytes of UTF-8 in ~640 characters): refused without a rid, as it is never parsed.
      expect({ code: error.code, rid: error.rid }).toEqual({ code: 'MESSAGE_TOO_LARGE', rid: undefined });
      expect(await bob.client.idle(100)).toEqual([]);
    } finally {
      await oversize.stop();
    }
  });

  it('never relays a text frame that is not UTF-8: uWS drops the sender and the room carries on', async () => {
    const alice = await t.joinAs('grace', 'utf8');
    const bob = await t.joinAs('heidi', 'utf8');
    const head = Buffer.from(`{"type":"signal","room":"utf8","to":"${bob.session.peerId}","payload":"`);
    // 0xC3 0x28 is not UTF-8 (a lead byte followed by an ASCII byte); sent as a text frame.
    alice.client.ws.send(Buffer.concat([head, Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), { binary: false });
    // uWS validates text frames before the broker sees them, and drops the TCP connection
    // (1006: no close frame); the byte-level scanner relies on never seeing such a frame.
    expect((await alice.client.closed).code).toBe(1006);
    const carol = await t.joinAs('ivan', 'utf8');
    carol.client.send({ type: 'signal', room: 'utf8', to: bob.session.peerId, payload: 'fine' });
    const signal = await bob.client.nextOf('signal');
    expect(signal).toMatchObject({ from: carol.session.peerId, payload: 'fine' });
    expect(bob.client.received.filter((frame) => frame.type === 'signal')).toHaveLength(1);
  });
});
