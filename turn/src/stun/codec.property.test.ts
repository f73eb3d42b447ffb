import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLASS_REQUEST, METHOD_ALLOCATE, type StunClass } from './constants.js';
import { canonicalIp, decodeXorAddress, encodeXorAddress, formatIpv6, parseIpv6 } from './address.js';
import { encodeStunMessage } from './encode.js';
import { verifyIntegrity } from './integrity.js';
import { decodeStunMessage } from './message.js';

const attributeArbitrary = fc.record({
  // Avoid the integrity/fingerprint types: the encoder appends those itself.
  type: fc.integer({ min: 0, max: 0xffff }).filter((type) => type !== 0x0008 && type !== 0x001c && type !== 0x8028),
  value: fc.uint8Array({ maxLength: 64 }),
});

const messageArbitrary = fc.record({
  method: fc.integer({ min: 0, max: 0xfff }),
  cls: fc.integer({ min: 0, max: 3 }).map((cls) => cls as StunClass),
  transactionId: fc.uint8Array({ minLength: 12, maxLength: 12 }),
  attributes: fc.array(attributeArbitrary, { maxLength: 8 }),
  integrity: fc.option(fc.constantFrom('sha1' as const, 'sha256' as const), { nil: undefined }),
  fingerprint: fc.boolean(),
});

describe('STUN codec properties', () => {
  it('decode never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const result = decodeStunMessage(bytes);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 5000 },
    );
  });

  it('decode never throws on mutations of a valid message with a plausible header', () => {
    const valid = encodeStunMessage(
      { method: METHOD_ALLOCATE, cls: CLASS_REQUEST, transactionId: Buffer.alloc(12, 7), attributes: [{ type: 0x0019, value: Buffer.from([17, 0, 0, 0]) }] },
      { integrity: { key: Buffer.from('k'), algorithm: 'sha1' }, fingerprint: true },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(valid.length), (edits, cut) => {
        const bytes = Buffer.from(valid);
        for (const [index, value] of edits) bytes[index] = value;
        decodeStunMessage(bytes.subarray(0, cut));
        decodeStunMessage(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('encode then decode returns the same method, class, transaction id and attributes', () => {
    fc.assert(
      fc.property(messageArbitrary, (input) => {
        const key = Buffer.from('secret-key');
        const bytes = encodeStunMessage(input, { integrity: input.integrity ? { key, algorithm: input.integrity } : undefined, fingerprint: input.fingerprint });
        const result = decodeStunMessage(bytes);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const message = result.message;
        expect(message.method).toBe(input.method);
        expect(message.cls).toBe(input.cls);
        expect(Buffer.from(message.transactionId).equals(Buffer.from(input.transactionId))).toBe(true);
        const plain = message.attributes.filter((attribute) => attribute.type !== 0x0008 && attribute.type !== 0x001c && attribute.type !== 0x8028);
        expect(plain.map((attribute) => [attribute.type, Buffer.from(attribute.value).toString('hex')])).toEqual(
          input.attributes.map((attribute) => [attribute.type, Buffer.from(attribute.value).toString('hex')]),
        );
        if (input.integrity) expect(verifyIntegrity(message, key)).toBe(input.integrity);
      }),
      { numRuns: 1000 },
    );
  });

  it('XOR addresses round-trip for any IPv4 or IPv6 address and port', () => {
    const ipv4 = fc.ipV4();
    const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => formatIpv6(bytes));
    fc.assert(
      fc.property(fc.oneof(ipv4.map((address) => ({ family: 4 as const, address })), ipv6.map((address) => ({ family: 6 as const, address }))), fc.integer({ min: 0, max: 65535 }), fc.uint8Array({ minLength: 12, maxLength: 12 }), (ip, port, transactionId) => {
        const address = { ...ip, port };
        expect(decodeXorAddress(encodeXorAddress(address, transactionId), transactionId)).toEqual(address);
      }),
      { numRuns: 2000 },
    );
  });

  it('IPv6 text parses back to the same 16 bytes, and canonical text is stable', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = formatIpv6(bytes);
        expect(Buffer.from(parseIpv6(text)!).equals(Buffer.from(bytes))).toBe(true);
        expect(canonicalIp(text)).toBe(text);
      }),
      { numRuns: 3000 },
    );
    fc.assert(fc.property(fc.ipV6(), (text) => parseIpv6(text) !== null), { numRuns: 2000 });
  });

  it('formats IPv6 like glibc inet_ntop does', () => {
    expect(canonicalIp('::1')).toBe('::1');
    expect(canonicalIp('::')).toBe('::');
    expect(canonicalIp('::ffff:10.0.0.1')).toBe('::ffff:10.0.0.1');
    expect(canonicalIp('2001:DB8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIp('fe80:0:0:0:0:0:0:0')).toBe('fe80::');
    expect(canonicalIp('1:0:2:3:4:5:6:7')).toBe('1:0:2:3:4:5:6:7');
    expect(canonicalIp('1::2::3')).toBeNull();
    expect(canonicalIp('1.2.3.256')).toBeNull();
  });
});
