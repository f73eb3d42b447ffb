import { describe, expect, it } from 'vitest';
import { encodeChannelData, encodeChannelNumber, encodeRequestedTransport } from '../proto/index.js';
import {
  ATTR_CHANNEL_NUMBER,
  ATTR_LIFETIME,
  ATTR_NONCE,
  ATTR_REQUESTED_TRANSPORT,
  ATTR_XOR_PEER_ADDRESS,
  CLASS_REQUEST,
  CLASS_SUCCESS,
  decodeUint32,
  encodeStunMessage,
  encodeUint32,
  encodeXorAddress,
  getAttribute,
  METHOD_ALLOCATE,
  METHOD_CHANNEL_BIND,
  METHOD_CREATE_PERMISSION,
  METHOD_REFRESH,
} from '../stun/index.js';
import { errorCode, harness, harnessCredentials, lastResponse, RecordingLink, settle, signedRequest, type Harness } from '../../test/sans-io-harness.js';
import { expireState } from './expiry.js';

const PEER = { family: 4 as const, address: '203.0.113.50', port: 6000 };

/** Runs the 401 dance and an Allocate on `link`; returns the nonce to reuse. */
async function allocate(h: Harness, link: RecordingLink, credentials: { username: string; password: string }, lifetimeSeconds?: number): Promise<string> {
  const attributes = [{ type: ATTR_REQUESTED_TRANSPORT, value: encodeRequestedTransport(17) }];
  h.control.handle(link, encodeStunMessage({ method: METHOD_ALLOCATE, cls: CLASS_REQUEST, transactionId: Buffer.alloc(12, 1), attributes }));
  const nonce = getAttribute(lastResponse(link), ATTR_NONCE)!.toString();
  if (lifetimeSeconds !== undefined) attributes.push({ type: ATTR_LIFETIME, value: encodeUint32(lifetimeSeconds) });
  h.control.handle(link, signedRequest(METHOD_ALLOCATE, attributes, credentials, nonce));
  await settle();
  return nonce;
}

function lifetimeOf(link: RecordingLink): number | null {
  return decodeUint32(getAttribute(lastResponse(link), ATTR_LIFETIME));
}

describe('lifetimes on a fake clock', () => {
  it('grants the default for a shorter request, caps at the maximum, and deletes the allocation when its lifetime ends', async () => {
    const h = harness({ policy: { allowPeers: ['203.0.113.0/24'] } });
    const link = new RecordingLink();
    const credentials = harnessCredentials(h.clock.nowMs() / 1000 + 7200);
    const nonce = await allocate(h, link, credentials, 30);
    expect(lifetimeOf(link)).toBe(600);
    h.control.handle(link, signedRequest(METHOD_REFRESH, [{ type: ATTR_LIFETIME, value: encodeUint32(99_999) }], credentials, nonce));
    expect(lifetimeOf(link)).toBe(3600);
    h.clock.advance(3_599_000);
    expireState(h.context, h.clock.nowMs());
    expect(h.context.allocations.size).toBe(1);
    h.clock.advance(1_000);
    expireState(h.context, h.clock.nowMs());
    expect(h.context.allocations.size).toBe(0);
    expect(h.ended).toEqual(['expired']);
    expect(h.relays.opened[0]!.closed).toBe(true);
    expect(link.allocation).toBeNull();
  });

  it('drops relayed data once a permission lapses after 300 s, and a channel refresh keeps both alive', async () => {
    const h = harness({ policy: { allowPeers: ['203.0.113.0/24'] } });
    const link = new RecordingLink();
    const credentials = harnessCredentials(h.clock.nowMs() / 1000 + 7200);
    const nonce = await allocate(h, link, credentials);
    const relay = h.relays.opened[0]!;
    const transactionId = Buffer.alloc(12, 9);
    const bind = () =>
      h.control.handle(
        link,
        signedRequest(METHOD_CHANNEL_BIND, [{ type: ATTR_CHANNEL_NUMBER, value: encodeChannelNumber(0x4000) }, { type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(PEER, transactionId) }], credentials, nonce, transactionId),
      );
    bind();
    expect(lastResponse(link).cls).toBe(CLASS_SUCCESS);
    h.relay.fromClientChannelData(link.allocation!, encodeChannelData(0x4000, Buffer.from('a')));
    expect(relay.sent).toHaveLength(1);
    h.clock.advance(299_000);
    bind(); // refresh: permission renewed to +300 s, channel to +600 s
    h.clock.advance(299_000);
    h.relay.fromClientChannelData(link.allocation!, encodeChannelData(0x4000, Buffer.from('b')));
    expect(relay.sent).toHaveLength(2);
    h.clock.advance(2_000);
    h.relay.fromClientChannelData(link.allocation!, encodeChannelData(0x4000, Buffer.from('c')));
    relay.receiver!(Buffer.from('from peer'), PEER.address, PEER.port);
    expect(relay.sent).toHaveLength(2);
    expect(h.relay.counters.drops[2]).toBe(2); // no_permission, both directions
  });

  it('answers CreatePermission for a peer only for 300 s', async () => {
    const h = harness({ policy: { allowPeers: ['203.0.113.0/24'] } });
    const link = new RecordingLink();
    const credentials = harnessCredentials(h.clock.nowMs() / 1000 + 7200);
    const nonce = await allocate(h, link, credentials);
    const transactionId = Buffer.alloc(12, 4);
    h.control.handle(link, signedRequest(METHOD_CREATE_PERMISSION, [{ type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(PEER, transactionId) }], credentials, nonce, transactionId));
    expect(link.allocation!.hasPermission(PEER.address, h.clock.nowMs() + 299_999)).toBe(true);
    expect(link.allocation!.hasPermission(PEER.address, h.clock.nowMs() + 300_000)).toBe(false);
  });
});

describe('expiry policy of REST usernames', () => {
  it('allocate-only: an allocation made before the username expired can still be refreshed after', async () => {
    const h = harness();
    const link = new RecordingLink();
    const credentials = harnessCredentials(h.clock.nowMs() / 1000 + 60);
    await allocate(h, link, credentials);
    expect(lifetimeOf(link)).toBe(600);
    h.clock.advance(120_000);
    const nonce = getAttribute(lastResponse(link), ATTR_NONCE)?.toString() ?? h.context.auth.nonces.mint(link.address, h.clock.nowMs());
    h.control.handle(link, signedRequest(METHOD_REFRESH, [], credentials, nonce));
    expect(lastResponse(link).cls).toBe(CLASS_SUCCESS);
  });

  it('strict: the allocation lifetime stops at the username expiry and later requests get 401', async () => {
    const h = harness({ auth: { secrets: ['harness-secret'], expiryPolicy: 'strict' } });
    const link = new RecordingLink();
    const credentials = harnessCredentials(h.clock.nowMs() / 1000 + 100);
    await allocate(h, link, credentials);
    expect(lifetimeOf(link)).toBe(100);
    h.clock.advance(101_000);
    h.control.handle(link, signedRequest(METHOD_REFRESH, [], credentials, h.context.auth.nonces.mint(link.address, h.clock.nowMs())));
    expect(errorCode(lastResponse(link))).toBe(401);
    expireState(h.context, h.clock.nowMs());
    expect(h.context.allocations.size).toBe(0);
  });
});
