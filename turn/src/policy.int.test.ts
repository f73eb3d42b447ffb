import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delay, waitFor } from '@parley/test-support';
import { startTurnServer, type TurnServer } from './server.js';
import { formatTurnUsername, turnPassword } from './credentials.js';
import { CLASS_SUCCESS } from './stun/index.js';
import { errorCodeOf, TurnTestClient, udpPeer } from '../test/turn-test-client.js';

const SECRET = 'policy-secret';

function credentialsFor(userId: string) {
  const username = formatTurnUsername(Math.floor(Date.now() / 1000) + 600, { userId, sessionTag: randomBytes(4).toString('hex') });
  return { username, password: turnPassword(SECRET, username) };
}

async function relay(config: Record<string, unknown>): Promise<TurnServer> {
  return startTurnServer({
    config: { listen: { hosts: ['127.0.0.1'], udpPort: 0, tcpPort: 0, tcp: false }, http: { host: '127.0.0.1', port: 0 }, auth: { secrets: [SECRET] }, log: { level: 'silent' }, ...config },
  });
}

describe('peer policy with the default deny list', () => {
  let turn: TurnServer;
  const clients: TurnTestClient[] = [];
  beforeAll(async () => {
    turn = await relay({});
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await turn.stop();
  });

  it('answers 403 to CreatePermission and ChannelBind towards loopback, private and mapped addresses', async () => {
    const client = await TurnTestClient.udp(turn.udpPort);
    clients.push(client);
    expect((await client.allocate(credentialsFor('p'))).cls).toBe(CLASS_SUCCESS);
    for (const address of ['127.0.0.1', '10.1.2.3', '192.168.1.1', '172.16.0.1', '100.64.0.1', '169.254.1.1', '224.0.0.1', '0.0.0.0']) {
      expect(errorCodeOf(await client.createPermission({ family: 4, address, port: 5000 }))).toBe(403);
    }
    expect(errorCodeOf(await client.channelBind(0x4000, { family: 4, address: '127.0.0.1', port: 5000 }))).toBe(403);
    expect((await client.createPermission({ family: 4, address: '8.8.8.8', port: 5000 })).cls).toBe(CLASS_SUCCESS);
  });
});

describe('quotas', () => {
  let turn: TurnServer;
  const clients: TurnTestClient[] = [];
  beforeAll(async () => {
    turn = await relay({
      policy: { allowPeers: ['127.0.0.0/8'] },
      quotas: { allocationsPerUser: 2, totalAllocations: 5, permissionsPerAllocation: 2, userBytesPerSecond: 20_000, allocationBytesPerSecond: 0 },
    });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await turn.stop();
  });
  const client = async () => {
    const created = await TurnTestClient.udp(turn.udpPort);
    clients.push(created);
    return created;
  };

  it('answers 486 once a user holds its allocations-per-user quota, and 508 once the node is full', async () => {
    const creds = credentialsFor('greedy');
    expect((await (await client()).allocate(creds)).cls).toBe(CLASS_SUCCESS);
    expect((await (await client()).allocate(creds)).cls).toBe(CLASS_SUCCESS);
    expect(errorCodeOf(await (await client()).allocate(credentialsFor('greedy')))).toBe(486);
    for (const user of ['u1', 'u2', 'u3']) expect((await (await client()).allocate(credentialsFor(user))).cls).toBe(CLASS_SUCCESS);
    expect(errorCodeOf(await (await client()).allocate(credentialsFor('u4')))).toBe(508);
  });

  it('answers 508 when a CreatePermission would exceed the permissions per allocation', async () => {
    const holder = clients[0]!;
    expect((await holder.createPermission({ family: 4, address: '127.0.0.2', port: 1 }, { family: 4, address: '127.0.0.3', port: 1 })).cls).toBe(CLASS_SUCCESS);
    expect(errorCodeOf(await holder.createPermission({ family: 4, address: '127.0.0.4', port: 1 }))).toBe(508);
    // Refreshing existing permissions stays possible.
    expect((await holder.createPermission({ family: 4, address: '127.0.0.2', port: 1 })).cls).toBe(CLASS_SUCCESS);
  });

  it('drops and counts the packets of a user over its bandwidth while another user is unaffected', async () => {
    await Promise.all(clients.splice(0).map((created) => created.refresh(0).finally(() => created.close())));
    const heavy = await client();
    const light = await client();
    expect((await heavy.allocate(credentialsFor('heavy'))).cls).toBe(CLASS_SUCCESS);
    expect((await light.allocate(credentialsFor('light'))).cls).toBe(CLASS_SUCCESS);
    const heavyPeer = await udpPeer();
    const lightPeer = await udpPeer();
    try {
      await heavy.channelBind(0x4000, heavyPeer.address);
      await light.channelBind(0x4000, lightPeer.address);
      // 100 × 1000 B = 100 kB against a 20 kB/s user budget (one second of burst).
      for (let i = 0; i < 100; i++) heavy.sendChannelData(0x4000, Buffer.alloc(1000, i));
      for (let i = 0; i < 10; i++) {
        light.sendChannelData(0x4000, Buffer.alloc(1000, i));
        await delay(5);
      }
      await waitFor(() => lightPeer.received.length === 10, { what: 'all light packets' });
      await delay(200);
      expect(heavyPeer.received.length).toBeGreaterThan(0);
      expect(heavyPeer.received.length).toBeLessThan(40);
      const metrics = await (await fetch(turn.metricsUrl)).text();
      expect(metrics).toMatch(/parley_turn_packets_dropped_total\{reason="user_bandwidth"\} [1-9]/);
    } finally {
      heavyPeer.close();
      lightPeer.close();
    }
  });
});
