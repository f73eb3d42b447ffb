import type { ServerMessageOf } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('a flooding user', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('is throttled to its token bucket while another user\'s messages all flow', async () => {
    const rate = 50;
    const burst = 100;
    t = await startTestServer({ config: { limits: { messagesPerSecond: rate, messagesBurst: burst, abuseStrikes: 100_000 } } });
    const flooder = await t.joinAs('flooder', 'noisy');
    const sink = await t.joinAs('sink', 'noisy');
    const alice = await t.joinAs('alice', 'quiet');
    const bob = await t.joinAs('bob', 'quiet');
    await alice.client.nextOf('peer.joined');

    const started = Date.now();
    const floodSize = 3000;
    for (let seq = 0; seq < floodSize; seq++) {
      flooder.client.send({ type: 'signal', room: 'noisy', to: sink.session.peerId, payload: { seq, pad: 'x'.repeat(200) } });
    }
    // While the flood is being processed, alice and bob talk; every one of their messages is acked and delivered.
    const exchanged = 40;
    for (let seq = 0; seq < exchanged; seq++) {
      const ack = await alice.client.request({ type: 'signal', room: 'quiet', to: bob.session.peerId, payload: { seq } });
      expect(ack.type).toBe('ack');
      const signal = await bob.client.nextOf('signal');
      expect(signal.payload).toEqual({ seq });
    }
    expect(alice.client.received.filter((frame) => frame.type === 'error')).toEqual([]);

    // The flooder got RATE_LIMITED with a retry hint for what was dropped.
    const limited = await flooder.client.nextOf('error');
    expect(limited).toMatchObject({ code: 'RATE_LIMITED' });
    expect((limited as ServerMessageOf<'error'>).retryAfterMs).toBeGreaterThan(0);

    // Wait until the server has answered the whole flood (every message is acked-by-error or relayed).
    const pong = await flooder.client.request({ type: 'ping' }, 20_000);
    expect(['pong', 'error']).toContain(pong.type);
    const elapsedSeconds = (Date.now() - started) / 1000;
    const relayed = sink.client.received.filter((frame) => frame.type === 'signal').length;
    const refused = flooder.client.received.filter((frame) => frame.type === 'error' && frame.code === 'RATE_LIMITED').length;
    // No more got through than the bucket allows over the time it took (+1 s of refill as slack).
    expect(relayed).toBeLessThanOrEqual(burst + rate * (elapsedSeconds + 1));
    expect(relayed).toBeGreaterThanOrEqual(burst);
    expect(relayed + refused).toBeGreaterThanOrEqual(floodSize);
    expect(flooder.client.isClosed).toBe(false);
  });

  it('is disconnected with ABUSE (4429) when it keeps flooding, and its room hears it left', async () => {
    t = await startTestServer({ config: { limits: { messagesPerSecond: 10, messagesBurst: 10, abuseStrikes: 50, abuseStrikesPerSecond: 1 } } });
    const flooder = await t.joinAs('flooder', 'noisy');
    const sink = await t.joinAs('sink', 'noisy');
    for (let seq = 0; seq < 500; seq++) flooder.client.send({ type: 'ping' });
    const closed = await flooder.client.closed;
    expect(closed).toEqual({ code: 4429, reason: 'ABUSE' });
    expect(await sink.client.nextOf('peer.left')).toMatchObject({ peerId: flooder.session.peerId, reason: 'disconnected' });
    // The others carry on.
    const other = await t.joinAs('other', 'noisy');
    expect(other.joined.peers.map((peer) => peer.peerId)).toEqual([sink.session.peerId]);
  });

  it('is limited by bytes per second as well as by messages', async () => {
    t = await startTestServer({ config: { limits: { bytesPerSecond: 1024, bytesBurst: 8 * 1024, messagesBurst: 1000, abuseStrikes: 100_000 } } });
    const { client } = await t.connect({ userId: 'bulky' });
    const pad = 'x'.repeat(3000);
    const answers = [];
    for (let index = 0; index < 4; index++) answers.push(await client.request({ type: 'ping', pad }).catch(() => undefined));
    // Unknown field "pad": each answer is an error, but the first two fit the 8 KiB burst and the rest are refused by bytes.
    expect(answers.map((answer) => answer?.type === 'error' && answer.code)).toEqual(['INVALID_MESSAGE', 'INVALID_MESSAGE', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(answers[2]).toMatchObject({ message: 'bytes limit exceeded' });
  });

  it('is limited in joins per minute', async () => {
    t = await startTestServer({ config: { limits: { joinsPerMinute: 3 } } });
    const { client } = await t.connect({ userId: 'hopper', rooms: ['*'], create: true });
    const outcomes = [];
    for (let index = 0; index < 4; index++) {
      const answer = await client.request({ type: 'room.join', room: `hop-${index}` });
      outcomes.push(answer.type === 'error' ? answer.code : answer.type);
    }
    expect(outcomes).toEqual(['room.joined', 'room.joined', 'room.joined', 'RATE_LIMITED']);
  });

  it('shares its budget across all of its connections', async () => {
    t = await startTestServer({ config: { limits: { messagesPerSecond: 1, messagesBurst: 20, abuseStrikes: 100_000 } } });
    const first = await t.connect({ userId: 'multi' });
    const second = await t.connect({ userId: 'multi' });
    for (let index = 0; index < 15; index++) first.client.send({ type: 'ping', rid: index });
    for (let index = 0; index < 15; index++) second.client.send({ type: 'ping', rid: index });
    await first.client.request({ type: 'ping' }).catch(() => undefined);
    await second.client.request({ type: 'ping' }).catch(() => undefined);
    const pongs = [...first.client.received, ...second.client.received].filter((frame) => frame.type === 'pong').length;
    expect(pongs).toBeLessThanOrEqual(21);
    expect(pongs).toBeGreaterThanOrEqual(20);
  });
});
