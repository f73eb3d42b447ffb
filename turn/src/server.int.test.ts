import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@parley/test-support';
import { startTurnServer, type TurnServer } from './server.js';
import { formatTurnUsername, turnPassword } from './credentials.js';
import { encodeAddressFamily, encodeChannelNumber, encodeEvenPort, encodeRequestedTransport } from './proto/turn-attributes.js';
import {
  ATTR_ADDITIONAL_ADDRESS_FAMILY,
  ATTR_CHANNEL_NUMBER,
  ATTR_EVEN_PORT,
  ATTR_MESSAGE_INTEGRITY,
  ATTR_NONCE,
  ATTR_PASSWORD_ALGORITHMS,
  ATTR_REALM,
  ATTR_REQUESTED_ADDRESS_FAMILY,
  ATTR_REQUESTED_TRANSPORT,
  ATTR_RESERVATION_TOKEN,
  ATTR_UNKNOWN_ATTRIBUTES,
  ATTR_XOR_MAPPED_ADDRESS,
  ATTR_XOR_PEER_ADDRESS,
  CLASS_REQUEST,
  CLASS_SUCCESS,
  decodeUnknownAttributes,
  decodeXorAddress,
  encodeStunMessage,
  encodeXorAddress,
  getAttribute,
  METHOD_ALLOCATE,
  METHOD_BINDING,
  METHOD_CHANNEL_BIND,
  METHOD_CREATE_PERMISSION,
} from './stun/index.js';
import { errorCodeOf, lifetimeOf, responseVerifies, restCredentials, TurnTestClient, udpPeer } from '../test/turn-test-client.js';
import { UDP_IO_KINDS, udpIoFor } from '../test/udp-io.js';

const SECRET = 'integration-secret';
const TOKEN = 'internal-token-for-tests';

function credentialsFor(userId: string, room?: string, ttlSeconds = 600) {
  const username = formatTurnUsername(Math.floor(Date.now() / 1000) + ttlSeconds, { userId, room, sessionTag: randomBytes(4).toString('hex') });
  return { username, password: turnPassword(SECRET, username) };
}

async function startLoopbackRelay(overrides: Record<string, unknown> = {}): Promise<TurnServer> {
  return startTurnServer({
    config: {
      listen: { hosts: ['127.0.0.1'], udpPort: 0, tcpPort: 0 },
      http: { host: '127.0.0.1', port: 0, internalToken: TOKEN },
      auth: { secrets: ['retired-secret', SECRET] },
      policy: { allowPeers: ['127.0.0.0/8'] },
      log: { level: 'silent' },
      ...overrides,
    },
  });
}

describe.each(UDP_IO_KINDS)('TURN over UDP against our relay (%s I/O)', (udpIo) => {
  let turn: TurnServer;
  const clients: TurnTestClient[] = [];
  const client = async () => {
    const created = await TurnTestClient.udp(turn.udpPort);
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    udpIoFor(udpIo); // the batched path fails here, with the build command, when its addon is missing
    turn = await startLoopbackRelay({ udpIo });
  });

  it('runs on the UDP I/O it was configured with', () => {
    expect(turn.udpIo).toBe(udpIo);
  });
  afterAll(async () => {
    for (const created of clients) created.close();
    await turn.stop();
  });

  it('answers Binding with the client address in XOR-MAPPED-ADDRESS', async () => {
    const c = await client();
    const response = await c.request(METHOD_BINDING, [], { sign: false });
    expect(response.cls).toBe(CLASS_SUCCESS);
    const mapped = decodeXorAddress(getAttribute(response, ATTR_XOR_MAPPED_ADDRESS)!, response.transactionId);
    expect(mapped?.address).toBe('127.0.0.1');
    expect(mapped?.port).toBeGreaterThan(0);
  });

  it('challenges an unauthenticated Allocate with 401, REALM, a nonce-cookie NONCE and PASSWORD-ALGORITHMS', async () => {
    const c = await client();
    const response = await c.request(METHOD_ALLOCATE, [{ type: ATTR_REQUESTED_TRANSPORT, value: encodeRequestedTransport(17) }], { sign: false });
    expect(errorCodeOf(response)).toBe(401);
    expect(getAttribute(response, ATTR_REALM)?.toString()).toBe('parley');
    expect(getAttribute(response, ATTR_NONCE)?.toString()).toMatch(/^obMatJos2/);
    expect(getAttribute(response, ATTR_PASSWORD_ALGORITHMS)).toBeDefined();
    expect(getAttribute(response, ATTR_MESSAGE_INTEGRITY)).toBeUndefined();
  });

  it('allocates with a REST credential signed by a rotation secret and signs the answer', async () => {
    const c = await client();
    const response = await c.allocate(credentialsFor('alice', 'standup'));
    expect(response.cls).toBe(CLASS_SUCCESS);
    expect(responseVerifies(c, response)).toBe(true);
    expect(lifetimeOf(response)).toBe(600);
    expect(c.relayed).toHaveLength(1);
    expect(c.relayed[0]!.address).toBe('127.0.0.1');
    expect(c.relayed[0]!.port).toBeGreaterThanOrEqual(49152);
  });

  it('refuses a wrong password with 401 and counts the failure by reason', async () => {
    const c = await client();
    const good = credentialsFor('mallory');
    const response = await c.allocate({ username: good.username, password: turnPassword('not-the-secret', good.username) });
    expect(errorCodeOf(response)).toBe(401);
    const metrics = await (await fetch(turn.metricsUrl)).text();
    expect(metrics).toMatch(/parley_turn_auth_failures_total\{reason="bad_integrity"\} [1-9]/);
  });

  it('refuses an expired REST username at Allocate with 401', async () => {
    const c = await client();
    const response = await c.allocate(restCredentials(SECRET, Math.floor(Date.now() / 1000) - 5, 'late'));
    expect(errorCodeOf(response)).toBe(401);
  });

  it('answers a retransmitted Allocate with the same success and a new one on the same 5-tuple with 437', async () => {
    const c = await client();
    const first = await c.allocate(credentialsFor('bob'));
    expect(first.cls).toBe(CLASS_SUCCESS);
    const attributes = [{ type: ATTR_REQUESTED_TRANSPORT, value: encodeRequestedTransport(17) }];
    const again = await c.request(METHOD_ALLOCATE, attributes, { transactionId: Buffer.from(first.transactionId) });
    expect(again.cls).toBe(CLASS_SUCCESS);
    expect(Buffer.from(again.raw).equals(Buffer.from(first.raw))).toBe(true);
    expect(errorCodeOf(await c.request(METHOD_ALLOCATE, attributes))).toBe(437);
  });

  it('answers 442 for a TCP relay and 400 without REQUESTED-TRANSPORT', async () => {
    const c = await client();
    const creds = credentialsFor('dave');
    // Learn realm, nonce and key from a first allocation, then speak from a fresh 5-tuple.
    expect((await c.allocate(creds)).cls).toBe(CLASS_SUCCESS);
    const d = await client();
    Object.assign(d, { credentials: creds, realm: c.realm, nonce: c.nonce, key: c.key });
    expect(errorCodeOf(await d.request(METHOD_ALLOCATE, [{ type: ATTR_REQUESTED_TRANSPORT, value: encodeRequestedTransport(6) }]))).toBe(442);
    expect(errorCodeOf(await d.request(METHOD_ALLOCATE, []))).toBe(400);
  });

  it('relays Send indications to a permitted peer and the peer reply back as a Data indication', async () => {
    const c = await client();
    await c.allocate(credentialsFor('erin'));
    const peer = await udpPeer();
    try {
      c.sendIndication(peer.address, Buffer.from('before permission'));
      expect((await c.createPermission(peer.address)).cls).toBe(CLASS_SUCCESS);
      c.sendIndication(peer.address, Buffer.from('hello peer'));
      const got = await waitFor(() => peer.received.find((entry) => entry.data.toString() === 'hello peer'), { what: 'peer datagram' });
      expect(got.from).toEqual(c.relayed[0]);
      expect(peer.received.some((entry) => entry.data.toString() === 'before permission')).toBe(false);
      peer.socket.send(Buffer.from('hello client'), c.relayed[0]!.port, c.relayed[0]!.address);
      const back = await waitFor(() => c.received.find((entry) => entry.data.toString() === 'hello client'), { what: 'data indication' });
      expect(back.channel).toBeNull();
      expect(back.peer).toEqual(peer.address);
    } finally {
      peer.close();
    }
  });

  it('relays ChannelData both ways once a channel is bound and refuses bad channel binds with 400', async () => {
    const c = await client();
    await c.allocate(credentialsFor('frank'));
    const peer = await udpPeer();
    const other = await udpPeer();
    try {
      expect((await c.channelBind(0x4001, peer.address)).cls).toBe(CLASS_SUCCESS);
      c.sendChannelData(0x4001, Buffer.from('over channel'));
      await waitFor(() => peer.received.find((entry) => entry.data.toString() === 'over channel'), { what: 'channel data at peer' });
      peer.socket.send(Buffer.from('channel reply'), c.relayed[0]!.port, c.relayed[0]!.address);
      const back = await waitFor(() => c.received.find((entry) => entry.data.toString() === 'channel reply'), { what: 'channel data at client' });
      expect(back.channel).toBe(0x4001);
      // RFC 8656 §11.2: channel number out of range, channel bound to another peer, peer bound to another channel.
      expect(errorCodeOf(await c.channelBind(0x3fff, peer.address))).toBe(400);
      expect(errorCodeOf(await c.channelBind(0x4001, other.address))).toBe(400);
      expect(errorCodeOf(await c.channelBind(0x4002, peer.address))).toBe(400);
      // Refreshing the same binding is fine.
      expect((await c.channelBind(0x4001, peer.address)).cls).toBe(CLASS_SUCCESS);
    } finally {
      peer.close();
      other.close();
    }
  });

  it('deletes the allocation on Refresh with lifetime 0, after which Refresh gets 437', async () => {
    const c = await client();
    await c.allocate(credentialsFor('gina'));
    const refreshed = await c.refresh(7200);
    expect(lifetimeOf(refreshed)).toBe(3600);
    const deleted = await c.refresh(0);
    expect(deleted.cls).toBe(CLASS_SUCCESS);
    expect(lifetimeOf(deleted)).toBe(0);
    expect(errorCodeOf(await c.refresh(600))).toBe(437);
  });

  it('answers 443 for an IPv6 peer on an IPv4 allocation and 440 for an IPv6 relay this node lacks', async () => {
    const c = await client();
    await c.allocate(credentialsFor('hank'));
    expect(errorCodeOf(await c.createPermission({ family: 6, address: '2001:db8::1', port: 1000 }))).toBe(443);
    const d = await client();
    const response = await d.allocate(credentialsFor('hank'), [{ type: ATTR_REQUESTED_ADDRESS_FAMILY, value: encodeAddressFamily(6) }]);
    expect(errorCodeOf(response)).toBe(440);
  });

  it('answers 441 when another user speaks on an existing allocation', async () => {
    const c = await client();
    await c.allocate(credentialsFor('ivan'));
    const other = credentialsFor('judy');
    c.credentials = other;
    c.key = (await import('./stun/integrity.js')).longTermKey(other.username, c.realm, other.password);
    expect(errorCodeOf(await c.refresh(600))).toBe(441);
  });

  it('answers 420 listing an unknown comprehension-required attribute', async () => {
    const c = await client();
    await c.allocate(credentialsFor('kate'));
    const response = await c.authedRequest(METHOD_CREATE_PERMISSION, [
      { type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress({ family: 4, address: '127.0.0.1', port: 9 }, Buffer.alloc(12)) },
      { type: 0x7777, value: Buffer.from([1, 2, 3, 4]) },
    ]);
    expect(errorCodeOf(response)).toBe(420);
    expect(decodeUnknownAttributes(getAttribute(response, ATTR_UNKNOWN_ATTRIBUTES))).toEqual([0x7777]);
  });

  it('answers 438 to a nonce minted under other secrets, with a fresh nonce that then works', async () => {
    const c = await client();
    await c.allocate(credentialsFor('liam'));
    const good = c.nonce;
    c.nonce = `${good.slice(0, -4)}AAAA`;
    const stale = await c.request(METHOD_CHANNEL_BIND, [
      { type: ATTR_CHANNEL_NUMBER, value: encodeChannelNumber(0x4100) },
      { type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress({ family: 4, address: '127.0.0.1', port: 9 }, Buffer.alloc(12)) },
    ]);
    expect(errorCodeOf(stale)).toBe(438);
    const fresh = getAttribute(stale, ATTR_NONCE)!.toString();
    expect(fresh).not.toBe(c.nonce);
    c.nonce = fresh;
    expect((await c.refresh(600)).cls).toBe(CLASS_SUCCESS);
  });

  it('gives an even port for EVEN-PORT and hands the reserved next port to RESERVATION-TOKEN', async () => {
    const c = await client();
    const response = await c.allocate(credentialsFor('mona'), [{ type: ATTR_EVEN_PORT, value: encodeEvenPort(true) }]);
    expect(response.cls).toBe(CLASS_SUCCESS);
    expect(c.relayed[0]!.port % 2).toBe(0);
    const token = getAttribute(response, ATTR_RESERVATION_TOKEN);
    expect(token).toHaveLength(8);
    const d = await client();
    const second = await d.allocate(credentialsFor('mona'), [{ type: ATTR_RESERVATION_TOKEN, value: Buffer.from(token!) }]);
    expect(second.cls).toBe(CLASS_SUCCESS);
    expect(d.relayed[0]!.port).toBe(c.relayed[0]!.port + 1);
    const e = await client();
    const both = await e.allocate(credentialsFor('mona'), [
      { type: ATTR_RESERVATION_TOKEN, value: Buffer.from(token!) },
      { type: ATTR_EVEN_PORT, value: encodeEvenPort(false) },
    ]);
    expect(errorCodeOf(both)).toBe(400);
  });

  it('refuses ADDITIONAL-ADDRESS-FAMILY other than IPv6 with 400', async () => {
    const c = await client();
    const response = await c.allocate(credentialsFor('nick'), [{ type: ATTR_ADDITIONAL_ADDRESS_FAMILY, value: encodeAddressFamily(4) }]);
    expect(errorCodeOf(response)).toBe(400);
  });

  it('drops and counts a Send indication to peer port 0 (which no socket can send to) and keeps serving', async () => {
    const c = await client();
    await c.allocate(credentialsFor('port-zero'));
    const nowhere = { family: 4 as const, address: '127.0.0.1', port: 0 };
    expect((await c.createPermission(nowhere)).cls).toBe(CLASS_SUCCESS);
    c.sendIndication(nowhere, Buffer.from('to port zero'));
    await waitFor(async () => /parley_turn_packets_dropped_total\{reason="send_failed"\} [1-9]/.test(await (await fetch(turn.metricsUrl)).text()), { what: 'send_failed drop' });
    expect((await c.request(METHOD_BINDING, [], { sign: false })).cls).toBe(CLASS_SUCCESS);
  });

  it('keeps serving after a flood of garbage datagrams and counts them', async () => {
    const c = await client();
    for (let i = 0; i < 2000; i++) {
      const junk = randomBytes(1 + (i % 200));
      if (i % 3 === 0) junk[0] = 0x40 | (junk[0]! & 0x3f); // ChannelData-looking
      if (i % 3 === 1) junk[0] = junk[0]! & 0x3f; // STUN-looking
      c.sendRaw(junk);
    }
    c.sendRaw(encodeStunMessage({ method: METHOD_BINDING, cls: CLASS_REQUEST, transactionId: randomBytes(12), attributes: [] }).subarray(0, 19));
    const response = await c.request(METHOD_BINDING, [], { sign: false });
    expect(response.cls).toBe(CLASS_SUCCESS);
    const metrics = await (await fetch(turn.metricsUrl)).text();
    expect(metrics).toMatch(/parley_turn_packets_dropped_total\{reason="not_stun_or_channel_data"\} [1-9]/);
    expect(metrics).toMatch(/parley_turn_packets_dropped_total\{reason="no_allocation"\} [1-9]/);
  });
});
