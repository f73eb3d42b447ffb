import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRootLogger } from '@parley/runtime';
import { waitFor } from '@parley/test-support';
import { startTurnServer, type TurnServer } from './server.js';
import { formatTurnUsername, turnPassword } from './credentials.js';
import { CLASS_SUCCESS } from './stun/index.js';
import { TurnTestClient, udpPeer } from '../test/turn-test-client.js';

/** Allocation lifecycle logs: one line when created, one when ended, none per packet, no secrets. */
const SECRET = 'logging-secret-never-printed';

describe('relay logs', () => {
  let turn: TurnServer;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const destination = new PassThrough();
    destination.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    turn = await startTurnServer({
      config: {
        listen: { hosts: ['127.0.0.1'], udpPort: 0, tcpPort: 0, tcp: false },
        http: { host: '127.0.0.1', port: 0, internalToken: 'token-never-printed' },
        auth: { secrets: [SECRET] },
        policy: { allowPeers: ['127.0.0.0/8'] },
      },
      logger: createRootLogger({ name: 'turn', level: 'info', destination }),
    });
  });
  afterAll(async () => {
    await turn.stop();
  });

  it('logs allocation created and ended with user and room, never per packet and never a secret', async () => {
    const username = formatTurnUsername(Math.floor(Date.now() / 1000) + 600, { userId: 'logged-user', room: 'logged-room', sessionTag: randomBytes(4).toString('hex') });
    const client = await TurnTestClient.udp(turn.udpPort);
    const peer = await udpPeer();
    try {
      expect((await client.allocate({ username, password: turnPassword(SECRET, username) })).cls).toBe(CLASS_SUCCESS);
      await client.channelBind(0x4000, peer.address);
      const linesBeforePackets = lines.length;
      for (let i = 0; i < 50; i++) client.sendChannelData(0x4000, Buffer.from(`packet ${i}`));
      await waitFor(() => peer.received.length === 50, { what: 'all packets relayed' });
      // 50 relayed packets add no line.
      expect(lines.length).toBe(linesBeforePackets);
      expect((await client.refresh(0)).cls).toBe(CLASS_SUCCESS);
      await waitFor(() => lines.some((line) => line.msg === 'allocation ended'), { what: 'end line' });
      const created = lines.find((line) => line.msg === 'allocation created');
      const ended = lines.find((line) => line.msg === 'allocation ended');
      expect(created).toMatchObject({ userId: 'logged-user', room: 'logged-room', transport: 'udp' });
      expect(ended).toMatchObject({ userId: 'logged-user', reason: 'refresh', bytesToPeers: expect.any(Number) });
      const text = JSON.stringify(lines);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('token-never-printed');
      expect(text).not.toContain(turnPassword(SECRET, username));
    } finally {
      client.close();
      peer.close();
    }
  });
});
