import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@parley/test-support';
import { formatTurnUsername, turnPassword } from './credentials.js';
import { startTurnServer, type TurnServer } from './server.js';
import { CLASS_SUCCESS } from './stun/index.js';
import { TurnTestClient, udpPeer } from '../test/turn-test-client.js';

const SECRET = 'recycling-secret';

function credentialsFor(userId: string) {
  const username = formatTurnUsername(Math.floor(Date.now() / 1000) + 600, { userId, sessionTag: randomBytes(4).toString('hex') });
  return { username, password: turnPassword(SECRET, username) };
}

/** parley_turn_packets_dropped_total for one reason, from /metrics. */
async function dropped(turn: TurnServer, reason: string): Promise<number> {
  const metrics = await (await fetch(turn.metricsUrl)).text();
  const match = new RegExp(`^parley_turn_packets_dropped_total\\{reason="${reason}"\\} (\\d+)`, 'm').exec(metrics);
  return match ? Number(match[1]) : 0;
}

describe('an allocation on a recycled relayed socket', () => {
  let turn: TurnServer;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    turn = await startTurnServer({
      config: {
        listen: { hosts: ['127.0.0.1'], udpPort: 0, tcp: false },
        relay: { ips: ['127.0.0.2'], recycledSockets: 4 },
        http: { host: '127.0.0.1', port: 0 },
        auth: { secrets: [SECRET] },
        policy: { allowPeers: ['127.0.0.0/8'] },
        log: { level: 'silent' },
      },
    });
  });
  afterAll(async () => {
    for (const close of closers) close();
    await turn.stop();
  });

  it('starts with no permissions and no channels: the old peer reaches it only after a permission of its own, and as a Data indication', async () => {
    const peer = await udpPeer();
    closers.push(() => peer.close());
    const before = await TurnTestClient.udp(turn.udpPort);
    closers.push(() => before.close());
    expect((await before.allocate(credentialsFor('old-user'))).cls).toBe(CLASS_SUCCESS);
    expect((await before.channelBind(0x4001, peer.address)).cls).toBe(CLASS_SUCCESS);
    before.sendChannelData(0x4001, Buffer.from('old allocation works'));
    await waitFor(() => peer.received.find((entry) => entry.data.toString() === 'old allocation works'), { what: 'old allocation relaying' });
    const port = before.relayed[0]!.port;
    expect((await before.refresh(0)).cls).toBe(CLASS_SUCCESS);

    const after = await TurnTestClient.udp(turn.udpPort);
    closers.push(() => after.close());
    expect((await after.allocate(credentialsFor('new-user'))).cls).toBe(CLASS_SUCCESS);
    // The only kept socket is the one just released, so the new allocation gets that port.
    expect(after.relayed[0]!.port).toBe(port);

    const noPermissionBefore = await dropped(turn, 'no_permission');
    peer.socket.send(Buffer.from('stale from the old peer'), port, after.relayed[0]!.address);
    after.sendIndication(peer.address, Buffer.from('send without a permission'));
    // The old client's ChannelData, from its old 5-tuple: no allocation there any more.
    before.sendChannelData(0x4001, Buffer.from('old channel after refresh 0'));
    await waitFor(async () => (await dropped(turn, 'no_permission')) >= noPermissionBefore + 2, { what: 'both drops counted' });

    expect((await after.createPermission(peer.address)).cls).toBe(CLASS_SUCCESS);
    peer.socket.send(Buffer.from('after the permission'), port, after.relayed[0]!.address);
    const arrived = await waitFor(() => after.received.find((entry) => entry.data.toString() === 'after the permission'), { what: 'datagram after the permission' });
    // Channel 0x4001 belonged to the old allocation: this one has no channel, so a Data indication.
    expect(arrived.channel).toBeNull();
    expect(after.received.map((entry) => entry.data.toString())).toEqual(['after the permission']);
    after.sendIndication(peer.address, Buffer.from('send with the permission'));
    await waitFor(() => peer.received.find((entry) => entry.data.toString() === 'send with the permission'), { what: 'send after the permission' });
    expect(peer.received.map((entry) => entry.data.toString())).toEqual(['old allocation works', 'send with the permission']);
  });
});
