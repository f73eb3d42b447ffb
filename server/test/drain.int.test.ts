import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('draining', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('turns /readyz false, tells peers to reconnect, refuses new joins and sessions, and finishes when the last peer leaves', async () => {
    t = await startTestServer({ config: { drain: { deadlineSeconds: 60, reconnectInMs: 250 } } });
    const alice = await t.joinAs('alice', 'r');
    const bob = await t.joinAs('bob', 'r');
    expect((await fetch(`${t.server.url}/readyz`)).status).toBe(200);

    let drained = false;
    const draining = t.server.drain().then(() => (drained = true));
    for (const peer of [alice, bob]) expect(await peer.client.nextOf('drain')).toEqual({ type: 'drain', reconnectInMs: 250 });
    const ready = await fetch(`${t.server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, draining: true });
    expect(t.server.ready).toBe(false);

    // Existing peers keep talking while they move.
    alice.client.send({ type: 'signal', room: 'r', to: bob.session.peerId, payload: 'still here' });
    expect(await bob.client.nextOf('signal')).toMatchObject({ payload: 'still here' });
    // New joins are refused.
    alice.client.send({ type: 'room.join', rid: 3, room: 'other' });
    expect(await alice.client.nextOf('error')).toMatchObject({ code: 'DRAINING', rid: 3 });
    // New connections are told to go elsewhere and closed with 4503.
    const late = await TestClient.connect(`${t.server.wsUrl}?access_token=${await t.server.mintToken({ userId: 'late' })}`);
    expect(await late.nextOf('drain')).toEqual({ type: 'drain', reconnectInMs: 250 });
    expect(await late.closed).toEqual({ code: 4503, reason: 'DRAINING' });

    // A peer that drops while draining leaves at once (it will not resume here).
    await alice.client.terminate();
    expect(await bob.client.nextOf('peer.left')).toMatchObject({ peerId: alice.session.peerId, reason: 'disconnected' });
    expect(drained).toBe(false);
    await bob.client.close();
    await draining;
    expect(drained).toBe(true);
  });

  it('ends sessions that were waiting for a resume, since a draining node accepts no reconnection', async () => {
    t = await startTestServer({ config: { session: { resumeGraceMs: 60_000 } } });
    const alice = await t.joinAs('alice', 'r');
    const bob = await t.joinAs('bob', 'r');
    await bob.client.terminate();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alice.client.pending().filter((frame) => frame.type === 'peer.left')).toEqual([]);
    const draining = t.server.drain();
    expect(await alice.client.nextOf('peer.left')).toMatchObject({ peerId: bob.session.peerId, reason: 'disconnected' });
    await alice.client.close();
    await draining;
  });

  it('finishes at the deadline even if peers stay, and stop() then closes them with 4503', async () => {
    const clock = new FakeClock();
    t = await startTestServer({ clock, config: { drain: { deadlineSeconds: 30 } } });
    const stubborn = await t.joinAs('stubborn', 'r');
    let drained = false;
    const draining = t.server.drain().then(() => (drained = true));
    await stubborn.client.nextOf('drain');
    clock.advance(29_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(drained).toBe(false);
    clock.advance(1_000);
    await draining;
    await t.server.stop();
    expect(await stubborn.client.closed).toEqual({ code: 4503, reason: 'DRAINING' });
  });
});
