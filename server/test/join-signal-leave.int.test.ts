import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('join, signal and leave over real sockets', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('relays a signal between two peers of a room', async () => {
    const alice = await t.joinAs('alice', 'r1');
    const bob = await t.joinAs('bob', 'r1');
    const joined = await alice.client.nextOf('peer.joined');
    expect(joined.peer.peerId).toBe(bob.session.peerId);
    alice.client.send({ type: 'signal', room: 'r1', to: bob.session.peerId, payload: { kind: 'offer', sdp: 'v=0' } });
    const signal = await bob.client.nextOf('signal');
    expect(signal).toEqual({ type: 'signal', room: 'r1', from: alice.session.peerId, payload: { kind: 'offer', sdp: 'v=0' } });
  });
});
