import { describe, expect, it } from 'vitest';
import { encodeChannelData, encodeChannelNumber, encodeRequestedTransport } from '../proto/index.js';
import { ATTR_CHANNEL_NUMBER, ATTR_NONCE, ATTR_REQUESTED_TRANSPORT, ATTR_XOR_PEER_ADDRESS, CLASS_REQUEST, encodeStunMessage, encodeXorAddress, getAttribute, METHOD_ALLOCATE, METHOD_CHANNEL_BIND } from '../stun/index.js';
import { harness, harnessCredentials, lastResponse, RecordingLink, settle, signedRequest, type Harness } from '../../test/sans-io-harness.js';
import { DROP_ALLOCATION_BANDWIDTH, DROP_TOTAL_BANDWIDTH, DROP_NO_CHANNEL } from './counters.js';

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
