import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { delay, waitFor } from '@parley/test-support';
import { startTurnServer, type TurnServer } from './server.js';
import { formatTurnUsername, turnPassword } from './credentials.js';
import { CLASS_SUCCESS } from './stun/index.js';
import { errorCodeOf, TurnTestClient } from '../test/turn-test-client.js';
import type { TurnConfigInput } from './config.js';
import { UDP_IO_KINDS } from '../test/udp-io.js';

/**
 * Hairpin (relay.hairpin, on by default) must apply the same rules as the path through the
 * network: the sender's permission, the receiver's permission, the peer deny list and the
 * bandwidth quotas of both ends. Every scenario runs twice with the same expectations:
 * - "through sockets": hairpin off, relayed sockets on 127.0.0.2, packets really leave one relayed
 *   socket and arrive on the other;
 * - "hairpinned": hairpin on and an externalIp (127.0.0.3) nobody listens on, so a packet that
 *   arrives at all was handed across inside the relay.
 */
const SECRET = 'hairpin-policy-secret';

interface Path {
  name: string;
  /** The address relayed transport addresses are advertised at. */
  relayedIp: string;
  config: TurnConfigInput;
}

const PATHS: Path[] = [
  { name: 'through sockets', relayedIp: '127.0.0.2', config: { relay: { ips: ['127.0.0.2'], hairpin: false } } },
  { name: 'hairpinned', relayedIp: '127.0.0.3', config: { relay: { ips: ['127.0.0.2'], hairpin: true }, externalIp: '127.0.0.3' } },
];

function credentialsFor(userId: string) {
  const username = formatTurnUsername(Math.floor(Date.now() / 1000) + 600, { userId, sessionTag: randomBytes(4).toString('hex') });
  return { username, password: turnPassword(SECRET, username) };
}

async function dropped(turn: TurnServer, reason: string): Promise<number> {
  const text = await (await fetch(turn.metricsUrl)).text();
  return Number(new RegExp(`^parley_turn_packets_dropped_total\\{reason="${reason}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
}

for (const [path, udpIo] of PATHS.flatMap((path) => UDP_IO_KINDS.map((kind) => [path, kind] as const))) {
  describe(`relay-to-relay ${path.name} (${udpIo} I/O)`, () => {
    const servers: TurnServer[] = [];
    const clients: TurnTestClient[] = [];
    afterEach(async () => {
      for (const client of clients.splice(0)) client.close();
      await Promise.all(servers.splice(0).map((server) => server.stop()));
    });

    async function relay(config: TurnConfigInput = {}): Promise<TurnServer> {
      const turn = await startTurnServer({
        config: {
          listen: { hosts: ['127.0.0.1'], udpPort: 0, tcpPort: 0, tcp: false },
          http: { host: '127.0.0.1', port: 0 },
          auth: { secrets: [SECRET] },
          policy: { allowPeers: ['127.0.0.0/8'] },
          log: { level: 'silent' },
          udpIo,
          ...path.config,
          ...config,
        },
      });
      servers.push(turn);
      return turn;
    }

    async function allocated(turn: TurnServer, userId: string): Promise<TurnTestClient> {
      const client = await TurnTestClient.udp(turn.udpPort);
      clients.push(client);
      expect((await client.allocate(credentialsFor(userId))).cls).toBe(CLASS_SUCCESS);
      expect(client.relayed[0]!.address).toBe(path.relayedIp);
      return client;
    }

    it('delivers once both ends hold permissions, from the sender relayed address', async () => {
      const turn = await relay();
      const [a, b] = [await allocated(turn, 'a'), await allocated(turn, 'b')];
      expect((await a.channelBind(0x4000, b.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
      expect((await b.createPermission(a.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
      a.sendChannelData(0x4000, Buffer.from('hello'));
      const got = await waitFor(() => b.received[0], { what: 'relayed packet' });
      expect(got.peer).toEqual(a.relayed[0]);
      expect(got.data.toString()).toBe('hello');
    });

    it("drops and counts packets the receiver holds no permission for (RFC 8656 §10.3)", async () => {
      const turn = await relay();
      const [a, b] = [await allocated(turn, 'a'), await allocated(turn, 'b')];
      expect((await a.channelBind(0x4000, b.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
      for (let i = 0; i < 5; i++) a.sendChannelData(0x4000, Buffer.from(`unwanted ${i}`));
      await waitFor(async () => (await dropped(turn, 'no_permission')) === 5, { what: 'five no_permission drops' });
      await delay(100);
      expect(b.received).toHaveLength(0);
      // The sender's side was within its rights: those five count as relayed to the peer.
      expect(turn.status().allocations.find((allocation) => allocation.userId === 'a')?.bytesToPeers).toBe(5 * 'unwanted 0'.length);
    });

    it('drops and counts Send indications the sender holds no permission for (RFC 8656 §10.2)', async () => {
      const turn = await relay();
      const [a, b] = [await allocated(turn, 'a'), await allocated(turn, 'b')];
      expect((await b.createPermission(a.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
      for (let i = 0; i < 3; i++) a.sendIndication(b.relayed[0]!, Buffer.from(`no permission ${i}`));
      await waitFor(async () => (await dropped(turn, 'no_permission')) === 3, { what: 'three no_permission drops' });
      await delay(100);
      expect(b.received).toHaveLength(0);
    });

    it('refuses with 403 a permission or channel towards a relayed address the deny list covers', async () => {
      // Loopback is denied by default; allow only the clients' own address, not the relayed one.
      const turn = await relay({ policy: { allowPeers: ['127.0.0.1/32'] } });
      const [a, b] = [await allocated(turn, 'a'), await allocated(turn, 'b')];
      expect(errorCodeOf(await a.createPermission(b.relayed[0]!))).toBe(403);
      expect(errorCodeOf(await a.channelBind(0x4000, b.relayed[0]!))).toBe(403);
      expect(errorCodeOf(await b.createPermission(a.relayed[0]!))).toBe(403);
      a.sendIndication(b.relayed[0]!, Buffer.from('denied'));
      await waitFor(async () => (await dropped(turn, 'no_permission')) === 1, { what: 'one no_permission drop' });
      await delay(100);
      expect(b.received).toHaveLength(0);
    });

    it("drops and counts packets over the receiver's user bandwidth while another pair is unaffected", async () => {
      // 10 kB/s per user (one second of burst); per-allocation and node limits off.
      const turn = await relay({ quotas: { userBytesPerSecond: 10_000, allocationBytesPerSecond: 0, totalBytesPerSecond: 0 } });
      const [a, c, b] = [await allocated(turn, 'a'), await allocated(turn, 'c'), await allocated(turn, 'b')];
      const [d, e] = [await allocated(turn, 'd'), await allocated(turn, 'e')];
      for (const sender of [a, c]) expect((await sender.channelBind(0x4000, b.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
      expect((await b.createPermission(a.relayed[0]!, c.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
      expect((await d.channelBind(0x4000, e.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
      expect((await e.createPermission(d.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
      // a and c each send 15 × 500 B = 7.5 kB, within their own budgets; b would receive 15 kB.
      for (let i = 0; i < 15; i++) {
        a.sendChannelData(0x4000, Buffer.alloc(500, 1));
        c.sendChannelData(0x4000, Buffer.alloc(500, 2));
      }
      for (let i = 0; i < 10; i++) d.sendChannelData(0x4000, Buffer.alloc(500, 3));
      await waitFor(() => e.received.length === 10, { what: 'all packets of the other pair' });
      await waitFor(async () => b.received.length + (await dropped(turn, 'user_bandwidth')) === 30, { what: 'every packet to b delivered or dropped' });
      expect(b.received.length).toBeGreaterThanOrEqual(20);
      expect(b.received.length).toBeLessThan(30);
      // Only the receiving end was over its budget.
      const status = turn.status();
      for (const userId of ['a', 'c']) expect(status.allocations.find((allocation) => allocation.userId === userId)?.bytesToPeers).toBe(7_500);
    });

    it("drops and counts packets over the sender's allocation bandwidth", async () => {
      const turn = await relay({ quotas: { allocationBytesPerSecond: 5_000, userBytesPerSecond: 0, totalBytesPerSecond: 0 } });
      const [a, b] = [await allocated(turn, 'a'), await allocated(turn, 'b')];
      expect((await a.channelBind(0x4000, b.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
      expect((await b.createPermission(a.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
      for (let i = 0; i < 20; i++) a.sendChannelData(0x4000, Buffer.alloc(500, 1));
      await waitFor(async () => b.received.length + (await dropped(turn, 'allocation_bandwidth')) === 20, { what: 'every packet delivered or dropped' });
      expect(b.received.length).toBeGreaterThanOrEqual(10);
      expect(b.received.length).toBeLessThan(20);
    });
  });
}
