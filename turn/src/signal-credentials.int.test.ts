import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { TurnCredentialsResponse, TurnResponse } from '@parley/protocol';
import { startSignalServer, type SignalServer } from '@parley/server';
import type { TurnServer } from './server.js';
import { startLoopbackRelay } from '../test/loopback-relay.js';
import { CLASS_SUCCESS } from './stun/index.js';
import { TurnTestClient, udpPeer } from '../test/turn-test-client.js';
import { waitFor } from '@parley/test-support';

/**
 * The signal server and this relay configured as `parley up` will: the same TURN secret, the
 * relay's URLs handed out by the signal server, and the relay's status polled with the internal
 * token. A credential from `POST /v1/turn/credentials` must allocate on the relay, and the signal
 * server's admin TURN view must show that allocation attributed to the token's user and room.
 */
const TURN_SECRET = 'shared-turn-secret-0123456789';
const INTERNAL_TOKEN = 'internal-token-0123456789';

describe('credentials from the signal server on our relay', () => {
  let turn: TurnServer;
  let signal: SignalServer;

  beforeAll(async () => {
    turn = await startLoopbackRelay({ secret: TURN_SECRET, internalToken: INTERNAL_TOKEN });
    signal = await startSignalServer({
      logger: pino({ level: 'silent' }),
      config: {
        http: { host: '127.0.0.1', port: 0, staticDir: '/nonexistent' },
        auth: { hs256Secrets: ['signal-hs256-secret-0123456789-abcdef'] },
        turn: { secrets: [TURN_SECRET], urls: turn.urls, nodes: [turn.statusUrl], internalToken: INTERNAL_TOKEN },
      },
    });
  });
  afterAll(async () => {
    await signal?.stop();
    await turn?.stop();
  });

  it('allocates with a credential from POST /v1/turn/credentials and shows up, attributed, in the admin TURN view', async () => {
    const token = await signal.mintToken({ userId: 'grace', rooms: ['standup'] });
    const response = await fetch(`${signal.url}/v1/turn/credentials`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ room: 'standup' }),
    });
    expect(response.status).toBe(200);
    const issued = TurnCredentialsResponse.parse(await response.json());
    expect(issued.iceServers.flatMap((server) => server.urls)).toEqual(expect.arrayContaining(turn.urls));

    const client = await TurnTestClient.udp(turn.udpPort);
    const peer = await udpPeer();
    try {
      expect((await client.allocate({ username: issued.username, password: issued.credential })).cls).toBe(CLASS_SUCCESS);
      expect((await client.createPermission(peer.address)).cls).toBe(CLASS_SUCCESS);
      client.sendIndication(peer.address, Buffer.alloc(64, 7));
      await waitFor(() => peer.received.length === 1, { what: 'relayed datagram' });

      await signal.pollTurnNodes();
      const admin = await signal.mintToken({ userId: 'ops', admin: true });
      const view = TurnResponse.parse(await (await fetch(`${signal.url}/v1/admin/turn`, { headers: { authorization: `Bearer ${admin}` } })).json());
      expect(view.nodes[0]).toMatchObject({ healthy: true, allocations: 1 });
      expect(view.allocations[0]).toMatchObject({ userId: 'grace', room: 'standup', transport: 'udp', bytesToPeers: 64 });
    } finally {
      client.close();
      peer.close();
    }
  });
});
