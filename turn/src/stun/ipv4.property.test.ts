import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv4, Ipv4TextCache, parseIpv4 } from './address.js';

/** The straightforward reading of a dotted quad (split and a regular expression): what the one-pass parser must equal. */
function referenceParseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes.push(value);
  }
  return bytes;
}

const asArray = (bytes: Uint8Array | null) => (bytes === null ? null : [...bytes]);

/** Strings over the characters that matter (digits, dots) plus a few that must be refused. */
const ipv4ish = fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.', '.', '.', ' ', '-', '+', 'a', ':', '٣'), maxLength: 20 });

describe('IPv4 literal parsing', () => {
  it('agrees with the reference parser on arbitrary digit-and-dot strings', () => {
    fc.assert(
      fc.property(ipv4ish, (text) => {
        expect(asArray(parseIpv4(text))).toEqual(referenceParseIpv4(text));
      }),
      { numRuns: 20_000, seed: 0x1b4 },
    );
  });

  it('parses every dotted quad of bytes, with or without leading zeros, to those bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), (bytes, padded) => {
        const text = bytes.map((byte, index) => (padded[index] ? String(byte).padStart(3, '0') : String(byte))).join('.');
        expect(asArray(parseIpv4(text))).toEqual(bytes);
      }),
      { seed: 0x1b5 },
    );
  });

  it('refuses groups over 255, four digits, empty groups, signs, spaces and a fifth group', () => {
    for (const text of ['256.0.0.1', '1.2.3.256', '999.1.1.1', '0001.1.1.1', '1..2.3', '.1.2.3', '1.2.3.', '+1.2.3.4', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.4.5', '1.2.3', '', '1.2.3.-4']) {
      expect(parseIpv4(text), text).toBeNull();
    }
  });
});

describe('IPv4 text cache', () => {
  it('gives formatIpv4 of the word\'s bytes, first and again, whether the word comes signed or unsigned', () => {
    const cache = new Ipv4TextCache(64);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), (bytes) => {
        const word = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
        const expected = formatIpv4(Uint8Array.from(bytes));
        expect(cache.text(word)).toBe(expected);
        expect(cache.text(word | 0)).toBe(expected);
      }),
      { numRuns: 3000, seed: 0x1b6 },
    );
    expect(cache.text(0xc0000201)).toBe('192.0.2.1');
  });
});
