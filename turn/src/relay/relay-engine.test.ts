import { describe, expect, it } from 'vitest';
import { encodeChannelData, encodeChannelNumber, encodeRequestedTransport } from '../proto/index.js';
import {
  ATTR_CHANNEL_NUMBER,
  ATTR_DATA,
  ATTR_DONT_FRAGMENT,
  ATTR_NONCE,
  ATTR_REQUESTED_TRANSPORT,
  ATTR_XOR_PEER_ADDRESS,
  CLASS_INDICATION,
  CLASS_REQUEST,
  encodeStunMessage,
  encodeXorAddress,
  getAttribute,
  METHOD_ALLOCATE,
  METHOD_CHANNEL_BIND,
  METHOD_SEND,
  type StunAttributeInput,
} from '../stun/index.js';
import { harness, harnessCredentials, lastResponse, RecordingLink, settle, signedRequest, type Harness } from '../../test/sans-io-harness.js';
import { DROP_ALLOCATION_BANDWIDTH, DROP_NO_ALLOCATION, DROP_NO_CHANNEL, DROP_NO_PERMISSION, DROP_NOT_STUN_OR_CHANNEL_DATA, DROP_TOTAL_BANDWIDTH } from './counters.js';

const PEER = { family: 4 as const, address: '203.0.113.77', port: 9000 };

async function boundClient(h: Harness, port: number, user: string): Promise<RecordingLink> {
  const link = new RecordingLink('198.51.100.7', port);
  const credentials = harnessCredentials(h.clock.nowMs() / 1000 + 3600, `${Buffer.from(user).toString('base64url')}..t1`);
  const transport = [{ type: ATTR_REQUESTED_TRANSPORT, value: encodeRequestedTransport(17) }];
  h.control.handle(link, encodeStunMessage({ method: METHOD_ALLOCATE, cls: CLASS_REQUEST, transactionId: Buffer.alloc(12, 1), attributes: transport }));
  const nonce = getAttribute(lastResponse(link), ATTR_NONCE)!.toString();
  h.control.handle(link, signedRequest(METHOD_ALLOCATE, transport, credentials, nonce));
  await settle();
  const id = Buffer.alloc(12, 2);
  h.control.handle(link, signedRequest(METHOD_CHANNEL_BIND, [{ type: ATTR_CHANNEL_NUMBER, value: encodeChannelNumber(0x4000) }, { type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(PEER, id) }], credentials, nonce, id));
  return link;
}

describe('data-plane bandwidth quotas', () => {
  it('drops an allocation over its bandwidth and counts it by reason, while another allocation keeps flowing', async () => {
    const h = harness({ policy: { allowPeers: ['203.0.113.0/24'] }, quotas: { allocationBytesPerSecond: 1000, userBytesPerSecond: 0 } });
    const heavy = await boundClient(h, 40001, 'heavy');
    const light = await boundClient(h, 40002, 'light');
    for (let i = 0; i < 5; i++) h.relay.fromClientChannelData(heavy.allocation!, encodeChannelData(0x4000, Buffer.alloc(400)));
    h.relay.fromClientChannelData(light.allocation!, encodeChannelData(0x4000, Buffer.alloc(400)));
    expect(h.relays.opened[0]!.sent).toHaveLength(2); // 2 × 400 B fit in 1000 B/s
    expect(h.relays.opened[1]!.sent).toHaveLength(1);
    expect(h.relay.counters.drops[DROP_ALLOCATION_BANDWIDTH]).toBe(3);
    h.clock.advance(1000);
    h.relay.fromClientChannelData(heavy.allocation!, encodeChannelData(0x4000, Buffer.alloc(400)));
    expect(h.relays.opened[0]!.sent).toHaveLength(3);
  });

  it('drops traffic over the node total bandwidth', async () => {
    const h = harness({ policy: { allowPeers: ['203.0.113.0/24'] }, quotas: { allocationBytesPerSecond: 0, userBytesPerSecond: 0, totalBytesPerSecond: 500 } });
    const link = await boundClient(h, 40003, 'any');
    h.relay.fromClientChannelData(link.allocation!, encodeChannelData(0x4000, Buffer.alloc(400)));
    h.relay.fromClientChannelData(link.allocation!, encodeChannelData(0x4000, Buffer.alloc(400)));
    expect(h.relays.opened[0]!.sent).toHaveLength(1);
    expect(h.relay.counters.drops[DROP_TOTAL_BANDWIDTH]).toBe(1);
  });

  it('discards ChannelData on a channel that is not bound (RFC 8656 §12.6)', async () => {
    const h = harness({ policy: { allowPeers: ['203.0.113.0/24'] } });
    const link = await boundClient(h, 40004, 'any');
    h.relay.fromClientChannelData(link.allocation!, encodeChannelData(0x4abc, Buffer.from('x')));
    expect(h.relays.opened[0]!.sent).toHaveLength(0);
    expect(h.relay.counters.drops[DROP_NO_CHANNEL]).toBe(1);
  });
});

describe('Send indications through the control plane', () => {
  const id = Buffer.alloc(12, 5);
  const sendIndication = (peer: { family: 4 | 6; address: string; port: number }, extra: StunAttributeInput[] = [], fingerprint = false) =>
    encodeStunMessage(
      { method: METHOD_SEND, cls: CLASS_INDICATION, transactionId: id, attributes: [{ type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, id) }, { type: ATTR_DATA, value: Buffer.from('payload') }, ...extra] },
      { fingerprint },
    );

  it('relays the plain ones (read in place) and the ones with other known attributes (generic decoder) alike', async () => {
    const h = harness({ policy: { allowPeers: ['203.0.113.0/24'] } });
    const link = await boundClient(h, 40005, 'send');
    h.control.handle(link, sendIndication(PEER));
    h.control.handle(link, sendIndication(PEER, [], true));
    h.control.handle(link, sendIndication(PEER, [{ type: ATTR_DONT_FRAGMENT, value: Buffer.alloc(0) }]));
    const sent = h.relays.opened[0]!.sent;
    expect(sent.map((packet) => [packet.address, packet.port, packet.data.toString()])).toEqual([
      [PEER.address, PEER.port, 'payload'],
      [PEER.address, PEER.port, 'payload'],
      [PEER.address, PEER.port, 'payload'],
    ]);
    expect(link.allocation!.packetsToPeers).toBe(3);
  });

  it('discards and counts the ones it must not relay, and keeps relaying after them', async () => {
    const h = harness({ policy: { allowPeers: ['203.0.113.0/24'] } });
    const link = await boundClient(h, 40006, 'send');
    h.control.handle(link, sendIndication({ ...PEER, address: '203.0.113.78' })); // no permission for this IP
    expect(h.relay.counters.drops[DROP_NO_PERMISSION]).toBe(1);
    const corrupt = sendIndication(PEER, [], true);
    corrupt[corrupt.length - 1]! ^= 0xff;
    h.control.handle(link, corrupt);
    expect(h.relay.counters.drops[DROP_NOT_STUN_OR_CHANNEL_DATA]).toBe(1);
    h.control.handle(link, sendIndication(PEER, [{ type: 0x7f01, value: Buffer.alloc(4) }])); // unknown comprehension-required: §6.3.2 discards it
    h.control.handle(new RecordingLink('198.51.100.9', 40007), sendIndication(PEER));
    expect(h.relay.counters.drops[DROP_NO_ALLOCATION]).toBe(1);
    expect(h.relays.opened[0]!.sent).toHaveLength(0);
    h.control.handle(link, sendIndication(PEER));
    expect(h.relays.opened[0]!.sent).toHaveLength(1);
  });
});
