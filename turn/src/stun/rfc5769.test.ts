import { describe, expect, it } from 'vitest';
import {
  ATTR_MESSAGE_INTEGRITY,
  ATTR_PASSWORD_ALGORITHM,
  ATTR_SOFTWARE,
  ATTR_USERNAME,
  ATTR_XOR_MAPPED_ADDRESS,
  CLASS_REQUEST,
  CLASS_SUCCESS,
  METHOD_BINDING,
  PASSWORD_ALGORITHM_SHA256,
} from './constants.js';
import { decodeXorAddress, encodeXorAddress } from './address.js';
import { decodeText, decodePasswordAlgorithm } from './attributes.js';
import { encodeStunMessage } from './encode.js';
import { longTermKey, verifyIntegrity } from './integrity.js';
import { decodeStunMessage, getAttribute, type StunMessage } from './message.js';

/** Test vectors of RFC 5769 §2 and RFC 8489 Appendix B.1, written out from the RFC text. */
const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const SAMPLE_REQUEST = hex(`
  00010058 2112a442 b7e7a701 bc34d686 fa87dfae
  80220010 5354554e 20746573 7420636c 69656e74
  00240004 6e0001ff
  80290008 932ff9b1 51263b36
  00060009 6576746a 3a683676 59202020
  00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2
  80280004 e57a3bcf`);
const SAMPLE_IPV4_RESPONSE = hex(`
  0101003c 2112a442 b7e7a701 bc34d686 fa87dfae
  8022000b 74657374 20766563 746f7220
  00200008 0001a147 e112a643
  00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
  80280004 c07d4c96`);
const SAMPLE_IPV6_RESPONSE = hex(`
  01010048 2112a442 b7e7a701 bc34d686 fa87dfae
  8022000b 74657374 20766563 746f7220
  00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9
  00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41
  80280004 c8fb0b4c`);
const SAMPLE_LONG_TERM_REQUEST = hex(`
  00010060 2112a442 78ad3433 c6ad72c0 29da412e
  00060012 e3839ee3 8388e383 aae38383 e382afe3 82b90000
  0015001c 662f2f34 39396b39 35346436 4f4c3334 6f4c3946 53547679 36347341
  0014000b 6578616d 706c652e 6f726700
  00080014 f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666`);
const SAMPLE_SHA256_REQUEST = hex(`
  00010090 2112a442 78ad3433 c6ad72c0 29da412e
  001e0020 4a3cf38f ef6992bd a952c678 0417da0f 24819415 569e60b2 05c46e41 407f1704
  00150029 6f624d61 744a6f73 32414141 43662f2f 3439396b 39353464 364f4c33 346f4c39 46535476 79363473 41000000
  0014000b 6578616d 706c652e 6f726700
  001d0004 00020000
  001c0020 b5c7bf00 5b6c52a2 1c51c5e8 92f81924 136296cb 927c4314 9309278c c6518e65`);

const SHORT_TERM_PASSWORD = Buffer.from('VOkJxbRl1RmTxUk/WvJxBt', 'utf8');
const LONG_TERM_USERNAME = '\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9';
/** "The\u00ADM\u00AAtr\u2168" after SASLprep / OpaqueString. */
const LONG_TERM_PASSWORD = 'TheMatrIX';

function decoded(bytes: Buffer): StunMessage {
  const result = decodeStunMessage(bytes);
  if (!result.ok) throw new Error(`vector did not decode: ${result.reason}`);
  return result.message;
}

describe('RFC 5769 test vectors', () => {
  it('decodes the sample request and verifies its MESSAGE-INTEGRITY and FINGERPRINT', () => {
    const message = decoded(SAMPLE_REQUEST);
    expect(message.method).toBe(METHOD_BINDING);
    expect(message.cls).toBe(CLASS_REQUEST);
    expect(decodeText(getAttribute(message, ATTR_USERNAME), 513)).toBe('evtj:h6vY');
    expect(decodeText(getAttribute(message, ATTR_SOFTWARE), 763)).toBe('STUN test client');
    expect(verifyIntegrity(message, SHORT_TERM_PASSWORD)).toBe('sha1');
    expect(message.fingerprintOffset).toBe(SAMPLE_REQUEST.length - 8);
  });

  it('re-encodes the sample request byte for byte, space padding included', () => {
    const message = decoded(SAMPLE_REQUEST);
    const attributes = message.attributes
      .filter((attribute) => attribute.offset < message.integrityOffset)
      .map((attribute) => ({ type: attribute.type, value: attribute.value }));
    const encoded = encodeStunMessage(
      { method: METHOD_BINDING, cls: CLASS_REQUEST, transactionId: message.transactionId, attributes },
      { integrity: { key: SHORT_TERM_PASSWORD, algorithm: 'sha1' }, fingerprint: true, paddingByte: 0x20 },
    );
    expect(encoded.toString('hex')).toBe(SAMPLE_REQUEST.toString('hex'));
  });

  it('encodes the IPv4 response byte for byte with XOR-MAPPED-ADDRESS 192.0.2.1:32853', () => {
    const transactionId = SAMPLE_IPV4_RESPONSE.subarray(8, 20);
    const encoded = encodeStunMessage(
      {
        method: METHOD_BINDING,
        cls: CLASS_SUCCESS,
        transactionId,
        attributes: [
          { type: ATTR_SOFTWARE, value: Buffer.from('test vector') },
          { type: ATTR_XOR_MAPPED_ADDRESS, value: encodeXorAddress({ family: 4, address: '192.0.2.1', port: 32853 }, transactionId) },
        ],
      },
      { integrity: { key: SHORT_TERM_PASSWORD, algorithm: 'sha1' }, fingerprint: true, paddingByte: 0x20 },
    );
    expect(encoded.toString('hex')).toBe(SAMPLE_IPV4_RESPONSE.toString('hex'));
    const message = decoded(SAMPLE_IPV4_RESPONSE);
    expect(decodeXorAddress(getAttribute(message, ATTR_XOR_MAPPED_ADDRESS)!, message.transactionId)).toEqual({ family: 4, address: '192.0.2.1', port: 32853 });
  });

  it('encodes the IPv6 response byte for byte with XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853', () => {
    const transactionId = SAMPLE_IPV6_RESPONSE.subarray(8, 20);
    const address = { family: 6 as const, address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 };
    const encoded = encodeStunMessage(
      {
        method: METHOD_BINDING,
        cls: CLASS_SUCCESS,
        transactionId,
        attributes: [
          { type: ATTR_SOFTWARE, value: Buffer.from('test vector') },
          { type: ATTR_XOR_MAPPED_ADDRESS, value: encodeXorAddress(address, transactionId) },
        ],
      },
      { integrity: { key: SHORT_TERM_PASSWORD, algorithm: 'sha1' }, fingerprint: true, paddingByte: 0x20 },
    );
    expect(encoded.toString('hex')).toBe(SAMPLE_IPV6_RESPONSE.toString('hex'));
    const message = decoded(SAMPLE_IPV6_RESPONSE);
    expect(decodeXorAddress(getAttribute(message, ATTR_XOR_MAPPED_ADDRESS)!, message.transactionId)).toEqual(address);
  });

  it('verifies the long-term request with the MD5 key of username:realm:password', () => {
    const message = decoded(SAMPLE_LONG_TERM_REQUEST);
    expect(decodeText(getAttribute(message, ATTR_USERNAME), 513)).toBe(LONG_TERM_USERNAME);
    expect(verifyIntegrity(message, longTermKey(LONG_TERM_USERNAME, 'example.org', LONG_TERM_PASSWORD))).toBe('sha1');
    expect(verifyIntegrity(message, longTermKey(LONG_TERM_USERNAME, 'example.org', 'TheMatrix'))).toBeNull();
  });

  it('verifies the RFC 8489 B.1 request with MESSAGE-INTEGRITY-SHA256 and PASSWORD-ALGORITHM SHA-256', () => {
    const message = decoded(SAMPLE_SHA256_REQUEST);
    expect(decodePasswordAlgorithm(getAttribute(message, ATTR_PASSWORD_ALGORITHM))).toBe(PASSWORD_ALGORITHM_SHA256);
    const key = longTermKey(LONG_TERM_USERNAME, 'example.org', LONG_TERM_PASSWORD, PASSWORD_ALGORITHM_SHA256);
    expect(verifyIntegrity(message, key)).toBe('sha256');
    expect(verifyIntegrity(message, longTermKey(LONG_TERM_USERNAME, 'example.org', LONG_TERM_PASSWORD))).toBeNull();
  });
});

describe('negative vectors', () => {
  it('rejects a request whose FINGERPRINT was altered', () => {
    const bytes = Buffer.from(SAMPLE_REQUEST);
    bytes[bytes.length - 1]! ^= 0x01;
    expect(decodeStunMessage(bytes)).toEqual({ ok: false, reason: 'bad_fingerprint' });
  });

  it('fails MESSAGE-INTEGRITY when one covered byte changes (fingerprint recomputed)', () => {
    const message = decoded(SAMPLE_REQUEST);
    const attributes = message.attributes
      .filter((attribute) => attribute.offset < message.integrityOffset)
      .map((attribute) => ({ type: attribute.type, value: attribute.value }));
    const honest = encodeStunMessage(
      { method: METHOD_BINDING, cls: CLASS_REQUEST, transactionId: message.transactionId, attributes },
      { integrity: { key: SHORT_TERM_PASSWORD, algorithm: 'sha1' } },
    );
    honest[30]! ^= 0x01; // inside SOFTWARE
    expect(verifyIntegrity(decoded(honest), SHORT_TERM_PASSWORD)).toBeNull();
  });

  it('rejects a wrong magic cookie', () => {
    const bytes = Buffer.from(SAMPLE_IPV4_RESPONSE);
    bytes[4] = 0x21 ^ 0xff;
    expect(decodeStunMessage(bytes)).toEqual({ ok: false, reason: 'bad_magic_cookie' });
  });

  it('rejects a length field that disagrees with the datagram or is not a multiple of 4', () => {
    const longer = Buffer.concat([SAMPLE_IPV4_RESPONSE, Buffer.alloc(4)]);
    expect(decodeStunMessage(longer)).toEqual({ ok: false, reason: 'bad_length' });
    const odd = Buffer.from(SAMPLE_IPV4_RESPONSE);
    odd.writeUInt16BE(odd.readUInt16BE(2) - 2, 2);
    expect(decodeStunMessage(odd.subarray(0, odd.length - 2))).toEqual({ ok: false, reason: 'bad_length' });
  });

  it('rejects an attribute whose length runs past the end of the message', () => {
    const bytes = Buffer.from(SAMPLE_IPV4_RESPONSE);
    bytes.writeUInt16BE(0x0100, 22); // SOFTWARE claims 256 bytes
    expect(decodeStunMessage(bytes)).toEqual({ ok: false, reason: 'attribute_overrun' });
  });

  it('rejects truncated messages and bytes that are not STUN', () => {
    expect(decodeStunMessage(SAMPLE_REQUEST.subarray(0, 19))).toEqual({ ok: false, reason: 'too_short' });
    expect(decodeStunMessage(SAMPLE_REQUEST.subarray(0, 60))).toEqual({ ok: false, reason: 'bad_length' });
    const channelData = Buffer.from(SAMPLE_REQUEST);
    channelData[0] = 0x40;
    expect(decodeStunMessage(channelData)).toEqual({ ok: false, reason: 'not_stun' });
  });

  it('rejects a message with an attribute after FINGERPRINT', () => {
    const bytes = Buffer.concat([SAMPLE_IPV4_RESPONSE, Buffer.from([0x80, 0x22, 0, 0])]);
    bytes.writeUInt16BE(bytes.length - 20, 2);
    expect(decodeStunMessage(bytes).ok).toBe(false);
  });

  it('ignores attributes after MESSAGE-INTEGRITY other than FINGERPRINT', () => {
    const message = decoded(SAMPLE_LONG_TERM_REQUEST);
    const withTrailer = Buffer.concat([SAMPLE_LONG_TERM_REQUEST, Buffer.from([0x80, 0x22, 0, 4, 0x41, 0x41, 0x41, 0x41])]);
    withTrailer.writeUInt16BE(withTrailer.length - 20, 2);
    const trailing = decoded(withTrailer);
    expect(trailing.attributes.map((attribute) => attribute.type)).toEqual(message.attributes.map((attribute) => attribute.type));
    expect(trailing.attributes.at(-1)!.type).toBe(ATTR_MESSAGE_INTEGRITY);
    // The HMAC still verifies: it covers only what precedes MESSAGE-INTEGRITY.
    expect(verifyIntegrity(trailing, longTermKey(LONG_TERM_USERNAME, 'example.org', LONG_TERM_PASSWORD))).toBe('sha1');
  });
});
