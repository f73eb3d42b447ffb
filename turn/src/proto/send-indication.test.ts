import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeXorAddress, encodeXorAddress, formatIpv6 } from '../stun/address.js';
import {
  ATTR_DATA,
  ATTR_DONT_FRAGMENT,
  ATTR_FINGERPRINT,
  ATTR_SOFTWARE,
  ATTR_XOR_PEER_ADDRESS,
  CLASS_INDICATION,
  CLASS_REQUEST,
  METHOD_SEND,
  type StunClass,
} from '../stun/constants.js';
import { encodeStunMessage, type StunAttributeInput } from '../stun/encode.js';
import { decodeStunMessage, getAttribute } from '../stun/message.js';
import { SendIndicationReader } from './send-indication.js';

const transactionIdArbitrary = fc.uint8Array({ minLength: 12, maxLength: 12 }).map((bytes) => Buffer.from(bytes));
const ipv4Peer = fc.record({ family: fc.constant(4 as const), address: fc.ipV4(), port: fc.integer({ min: 0, max: 65535 }) });
const ipv6Peer = fc.record({
  family: fc.constant(6 as const),
  address: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => formatIpv6(bytes)),
  port: fc.integer({ min: 0, max: 65535 }),
});
const payloadArbitrary = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes));
const optionalAttribute = fc.record({ type: fc.integer({ min: 0x8000, max: 0xffff }).filter((type) => type !== ATTR_FINGERPRINT), value: fc.uint8Array({ maxLength: 24 }) });

/** Every attribute the reader might meet, to build Send indications it must take or hand over. */
function attributeArbitrary(transactionId: Buffer): fc.Arbitrary<StunAttributeInput> {
  return fc.oneof(
    { arbitrary: ipv4Peer.map((peer) => ({ type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, transactionId) })), weight: 4 },
    ipv6Peer.map((peer) => ({ type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, transactionId) })),
    fc.uint8Array({ maxLength: 12 }).map((value) => ({ type: ATTR_XOR_PEER_ADDRESS, value })),
    { arbitrary: payloadArbitrary.map((value) => ({ type: ATTR_DATA, value })), weight: 4 },
    fc.constant({ type: ATTR_DONT_FRAGMENT, value: Buffer.alloc(0) }),
    fc.constant({ type: ATTR_SOFTWARE, value: Buffer.from('test') }),
    optionalAttribute,
    fc.record({ type: fc.integer({ min: 0, max: 0x7fff }), value: fc.uint8Array({ maxLength: 16 }) }),
  );
}

const messageArbitrary = transactionIdArbitrary.chain((transactionId) =>
  fc.record({
    transactionId: fc.constant(transactionId),
    cls: fc.constantFrom<StunClass>(CLASS_INDICATION, CLASS_INDICATION, CLASS_REQUEST),
    attributes: fc.array(attributeArbitrary(transactionId), { maxLength: 5 }),
    integrity: fc.constantFrom(false, false, false, true),
    fingerprint: fc.boolean(),
  }),
);

/** What the generic path (decodeStunMessage, then handleSendIndication) would relay, or null. */
function genericRelay(bytes: Buffer): { address: string; port: number; data: string } | null {
  const decoded = decodeStunMessage(bytes);
  if (!decoded.ok || decoded.message.cls !== CLASS_INDICATION || decoded.message.method !== METHOD_SEND) return null;
  const peerValue = getAttribute(decoded.message, ATTR_XOR_PEER_ADDRESS);
  const data = getAttribute(decoded.message, ATTR_DATA);
  if (!peerValue || !data) return null;
  const peer = decodeXorAddress(peerValue, decoded.message.transactionId);
  return peer ? { address: peer.address, port: peer.port, data: data.toString('hex') } : null;
}

describe('Send indications read in place', () => {
  it('takes only messages the generic decoder relays, to the same peer with the same data', () => {
    const reader = new SendIndicationReader();
    let taken = 0;
    fc.assert(
      fc.property(messageArbitrary, fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 2 }), weight: 1 }), (input, edits) => {
        const encoded = encodeStunMessage(
          { method: METHOD_SEND, cls: input.cls, transactionId: input.transactionId, attributes: input.attributes },
          { integrity: input.integrity ? { key: Buffer.from('k'), algorithm: 'sha1' } : undefined, fingerprint: input.fingerprint },
        );
        for (const [index, value] of edits) encoded[index % encoded.length] = value;
        if (!reader.read(encoded)) return;
        taken++;
        const decoded = decodeStunMessage(encoded);
        expect(decoded.ok).toBe(true);
        // Nothing the generic path would refuse or treat specially: only the peer, DATA and optional attributes.
        if (decoded.ok) for (const attribute of decoded.message.attributes) expect([ATTR_XOR_PEER_ADDRESS, ATTR_DATA].includes(attribute.type) || attribute.type >= 0x8000).toBe(true);
        expect({ address: reader.peerAddress, port: reader.peerPort, data: encoded.subarray(reader.dataOffset, reader.dataOffset + reader.dataLength).toString('hex') }).toEqual(genericRelay(encoded));
      }),
      { numRuns: 4000 },
    );
    expect(taken).toBeGreaterThan(150); // the generator does reach the fast path
  });

  it('takes every plain Send indication to an IPv4 peer, with optional attributes and FINGERPRINT', () => {
    const reader = new SendIndicationReader();
    fc.assert(
      fc.property(transactionIdArbitrary, ipv4Peer, payloadArbitrary, fc.array(optionalAttribute, { maxLength: 2 }), fc.boolean(), fc.boolean(), (transactionId, peer, data, extras, dataFirst, fingerprint) => {
        const peerAttribute = { type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, transactionId) };
        const dataAttribute = { type: ATTR_DATA, value: data };
        const attributes = [...(dataFirst ? [dataAttribute, peerAttribute] : [peerAttribute, dataAttribute]), ...extras];
        const bytes = encodeStunMessage({ method: METHOD_SEND, cls: CLASS_INDICATION, transactionId, attributes }, { fingerprint });
        expect(reader.read(bytes)).toBe(true);
        expect([reader.peerAddress, reader.peerPort]).toEqual([peer.address, peer.port]);
        expect(bytes.subarray(reader.dataOffset, reader.dataOffset + reader.dataLength).equals(data)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('hands over what it does not take: IPv6 peers, integrity, DONT-FRAGMENT, a bad FINGERPRINT, missing DATA, other methods', () => {
    const reader = new SendIndicationReader();
    const id = Buffer.alloc(12, 9);
    const peer = { type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress({ family: 4, address: '203.0.113.5', port: 5000 }, id) };
    const data = { type: ATTR_DATA, value: Buffer.from('hello') };
    const send = (attributes: StunAttributeInput[], options = {}) => encodeStunMessage({ method: METHOD_SEND, cls: CLASS_INDICATION, transactionId: id, attributes }, options);
    expect(reader.read(send([peer, data]))).toBe(true);
    expect(reader.read(send([{ type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress({ family: 6, address: '2001:db8::5', port: 5000 }, id) }, data]))).toBe(false);
    expect(reader.read(send([peer, data], { integrity: { key: Buffer.from('k'), algorithm: 'sha1' } }))).toBe(false);
    expect(reader.read(send([peer, data, { type: ATTR_DONT_FRAGMENT, value: Buffer.alloc(0) }]))).toBe(false);
    expect(reader.read(send([peer]))).toBe(false);
    const badFingerprint = send([peer, data], { fingerprint: true });
    badFingerprint[badFingerprint.length - 1]! ^= 1;
    expect(reader.read(badFingerprint)).toBe(false);
    expect(reader.read(encodeStunMessage({ method: METHOD_SEND, cls: CLASS_REQUEST, transactionId: id, attributes: [peer, data] }))).toBe(false);
    const truncated = send([peer, data]);
    expect(reader.read(truncated.subarray(0, truncated.length - 4))).toBe(false);
  });
});
