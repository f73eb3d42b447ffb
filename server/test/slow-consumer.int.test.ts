import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('a client that stops reading', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('is closed as a slow consumer (4408) once its send buffer passes maxBackpressure, and its room hears it left', async () => {
    t = await startTestServer({
      config: {
        ws: { maxBackpressureBytes: 64 * 1024 },
        limits: { messagesPerSecond: 100_000, messagesBurst: 100_000, bytesPerSecond: 1e9, bytesBurst: 1e9 },
      },
    });
    const talker = await t.joinAs('talker', 'room');
    const stalled = await t.joinAs('stalled', 'room');
    const witness = await t.joinAs('witness', 'room');
    await talker.client.nextOf('peer.joined');
    // Stop reading at the TCP level: the kernel buffers fill, then uWS's backpressure grows.
    const socket = (stalled.client.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    const chunk = 'x'.repeat(8 * 1024);
    let sent = 0;
    while (!witness.client.received.some((frame) => frame.type === 'peer.left') && sent < 5000) {
      talker.client.send({ type: 'room.broadcast', room: 'room', data: chunk });
      sent++;
      if (sent % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await witness.client.nextOf('peer.left')).toMatchObject({ peerId: stalled.session.peerId, reason: 'disconnected' });
    socket.resume();
    // The close frame sits behind the unread backlog, so the client may only see the TCP close.
    expect([4408, 1006]).toContain((await stalled.client.closed).code);
    const metrics = await (await fetch(`${t.server.url}/metrics`)).text();
    expect(metrics).toMatch(/^parley_signal_sessions_ended_total\{reason="slow_consumer"\} 1$/m);
    // The talker and the witness carry on.
    talker.client.send({ type: 'signal', room: 'room', to: witness.session.peerId, payload: 'still fine' });
    expect(await witness.client.next((frame) => frame.type === 'signal', 10_000)).toMatchObject({ payload: 'still fine' });
  });
});
