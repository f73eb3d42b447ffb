import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delay, waitFor } from '@parley/test-support';
import { startTurnServer, type TurnServer } from './server.js';
import { formatTurnUsername, turnPassword } from './credentials.js';
import { encodeChannelData } from './proto/index.js';
import { CLASS_SUCCESS } from './stun/index.js';
import { TurnTestClient } from '../test/turn-test-client.js';

/**
 * Two clients of one relay talking relay-to-relay, with an externalIp nobody listens on (as behind
 * a NAT that cannot hairpin): with relay.hairpin the relay hands the packets across itself; without
 * it they leave towards the external address and are lost.
 */
const SECRET = 'hairpin-secret';

function credentialsFor(userId: string) {
  const username = formatTurnUsername(Math.floor(Date.now() / 1000) + 600, { userId, sessionTag: randomBytes(4).toString('hex') });
  return { username, password: turnPassword(SECRET, username) };
}

async function relay(hairpin: boolean, tcp = false): Promise<TurnServer> {
  return startTurnServer({
    config: {
      listen: { hosts: ['127.0.0.1'], udpPort: 0, tcpPort: 0, tcp },
      relay: { ips: ['127.0.0.1'], hairpin },
      externalIp: '127.0.0.3',
      http: { host: '127.0.0.1', port: 0 },
      auth: { secrets: [SECRET] },
      policy: { allowPeers: ['127.0.0.0/8'] },
      log: { level: 'silent' },
    },
  });
}

async function relayToRelay(turn: TurnServer): Promise<{ a: TurnTestClient; b: TurnTestClient }> {
  const a = await TurnTestClient.udp(turn.udpPort);
  const b = await TurnTestClient.udp(turn.udpPort);
  expect((await a.allocate(credentialsFor('a'))).cls).toBe(CLASS_SUCCESS);
  expect((await b.allocate(credentialsFor('b'))).cls).toBe(CLASS_SUCCESS);
  expect(a.relayed[0]!.address).toBe('127.0.0.3');
  expect((await a.channelBind(0x4000, b.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
  expect((await b.createPermission(a.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
  a.sendChannelData(0x4000, Buffer.from('across the relay'));
  return { a, b };
}

describe('hairpin between allocations of one relay', () => {
  const servers: TurnServer[] = [];
  const clients: TurnTestClient[] = [];
  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(servers.map((server) => server.stop()));
  });

  let withHairpin: TurnServer;
  let withoutHairpin: TurnServer;
  beforeAll(async () => {
    withHairpin = await relay(true);
    withoutHairpin = await relay(false);
    servers.push(withHairpin, withoutHairpin);
  });

  it('delivers relay-to-relay packets, seen as coming from the sender relayed (external) address', async () => {
    const { a, b } = await relayToRelay(withHairpin);
    clients.push(a, b);
    const got = await waitFor(() => b.received[0], { what: 'hairpinned packet' });
    expect(got.data.toString()).toBe('across the relay');
    expect(got.peer).toEqual(a.relayed[0]);
  });

  it('without hairpin the packet leaves for the unreachable external address and is lost', async () => {
    const { a, b } = await relayToRelay(withoutHairpin);
    clients.push(a, b);
    await delay(300);
    expect(b.received).toHaveLength(0);
  });
});

describe('ChannelData to ChannelData across the hairpin', () => {
  let turn: TurnServer;
  let a: TurnTestClient;
  let b: TurnTestClient;
  let c: TurnTestClient;
  beforeAll(async () => {
    turn = await relay(true, true);
    a = await TurnTestClient.udp(turn.udpPort);
    b = await TurnTestClient.udp(turn.udpPort);
    c = await TurnTestClient.stream('tcp', turn.tcpPort);
    for (const [client, user] of [[a, 'a'], [b, 'b'], [c, 'c']] as const) expect((await client.allocate(credentialsFor(user))).cls).toBe(CLASS_SUCCESS);
    // Every direction on a channel number of its own: the receiver's header must replace the sender's.
    expect((await a.channelBind(0x4001, b.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
    expect((await b.channelBind(0x4007, a.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
    expect((await a.channelBind(0x400a, c.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
    expect((await c.channelBind(0x4009, a.relayed[0]!)).cls).toBe(CLASS_SUCCESS);
  });
  afterAll(async () => {
    for (const client of [a, b, c]) client?.close();
    await turn?.stop();
  });

  it('arrives on the receiver\'s channel, both ways, from the sender\'s relayed address', async () => {
    a.sendChannelData(0x4001, Buffer.from('one'));
    const atB = await waitFor(() => b.received.find((r) => r.data.toString() === 'one'), { what: 'one at b' });
    expect(atB).toMatchObject({ channel: 0x4007, peer: a.relayed[0], wireBytes: 4 + 3 });
    b.sendChannelData(0x4007, Buffer.from('two'));
    const atA = await waitFor(() => a.received.find((r) => r.data.toString() === 'two'), { what: 'two at a' });
    expect(atA).toMatchObject({ channel: 0x4001, peer: b.relayed[0] });
  });

  it('cuts the padding a UDP sender may add, and frames for a TCP receiver with its own header', async () => {
    a.sendRaw(Buffer.concat([encodeChannelData(0x4001, Buffer.from('odd'), false), Buffer.from([0xee])]));
    const padded = await waitFor(() => b.received.find((r) => r.data.toString() === 'odd'), { what: 'odd at b' });
    expect(padded).toMatchObject({ channel: 0x4007, wireBytes: 4 + 3 });
    a.sendChannelData(0x400a, Buffer.from('to tcp'));
    const atC = await waitFor(() => c.received.find((r) => r.data.toString() === 'to tcp'), { what: 'to tcp at c' });
    expect(atC).toMatchObject({ channel: 0x4009, peer: a.relayed[0] });
  });
});
