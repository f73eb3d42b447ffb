import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256Hex } from './sha256.js';

const nodeSha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('Sha256', () => {
  it('matches the FIPS 180-2 examples ("abc", the two-block message, empty input)', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(sha256Hex(text('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('agrees with node:crypto on every length around the padding boundaries (0-200 bytes)', () => {
    for (let length = 0; length <= 200; length++) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 255);
      expect(sha256Hex(data)).toBe(nodeSha256(data));
    }
  });

  it('gives the same digest however the input is split into updates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3_000 }), fc.array(fc.nat({ max: 3_000 }), { maxLength: 8 }), (data, cuts) => {
        const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
        const hash = new Sha256();
        let from = 0;
        for (const point of [...points, data.length]) {
          hash.update(data.subarray(from, point));
          from = point;
        }
        expect(Buffer.from(hash.digest()).toString('hex')).toBe(nodeSha256(data));
      }),
      { numRuns: 200 },
    );
  });

  it('hashes a 5 MB buffer like node:crypto', () => {
    const data = new Uint8Array(5 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    expect(sha256Hex(data)).toBe(nodeSha256(data));
  });

  it('refuses to be used after digest()', () => {
    const hash = new Sha256();
    hash.digest();
    expect(() => hash.update(new Uint8Array(1))).toThrow();
    expect(() => hash.digest()).toThrow();
  });
});
