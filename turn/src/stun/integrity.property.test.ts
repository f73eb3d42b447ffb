import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEADER_BYTES } from './constants.js';
import { computeIntegrity, type IntegrityAlgorithm } from './integrity.js';

/** RFC 8489 §14.5 read literally with Node's own HMAC: the fast path must give the same bytes. */
function referenceIntegrity(raw: Uint8Array, attributeOffset: number, key: Uint8Array, algorithm: IntegrityAlgorithm, valueBytes: number): Buffer {
  const covered = Buffer.from(raw.subarray(0, attributeOffset));
  covered.writeUInt16BE(attributeOffset - HEADER_BYTES + 4 + valueBytes, 2);
  return createHmac(algorithm, key).update(covered).digest();
}

const algorithm = fc.constantFrom<IntegrityAlgorithm>('sha1', 'sha256');

describe('MESSAGE-INTEGRITY HMAC', () => {
  it('equals Node createHmac for any key length (short, block-sized, longer than a block), message and algorithm', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 100 }),
        fc.uint8Array({ minLength: HEADER_BYTES, maxLength: 3000 }),
        algorithm,
        fc.constantFrom(16, 20, 24, 32),
        (key, message, chosen, valueBytes) => {
          const raw = Buffer.from(message);
          const offset = HEADER_BYTES + ((raw.length - HEADER_BYTES) & ~3);
          expect(computeIntegrity(raw, offset, key, chosen, valueBytes).equals(referenceIntegrity(raw, offset, key, chosen, valueBytes))).toBe(true);
        },
      ),
      { numRuns: 3000, seed: 0x5747 },
    );
  });

  it('gives the right answer when one key object signs with both algorithms and messages of shrinking and growing length in turn', () => {
    const key = Buffer.from('0123456789abcdef');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.uint8Array({ minLength: HEADER_BYTES, maxLength: 5000 }), algorithm), { minLength: 1, maxLength: 20 }), (messages) => {
        for (const [message, chosen] of messages) {
          const raw = Buffer.from(message);
          const valueBytes = chosen === 'sha1' ? 20 : 32;
          expect(computeIntegrity(raw, raw.length, key, chosen).equals(referenceIntegrity(raw, raw.length, key, chosen, valueBytes))).toBe(true);
        }
      }),
      { numRuns: 300, seed: 0x5748 },
    );
  });

  it('does not let one key answer for another of the same length', () => {
    const raw = Buffer.alloc(60, 1);
    const first = computeIntegrity(raw, 60, Buffer.alloc(16, 1), 'sha1');
    const second = computeIntegrity(raw, 60, Buffer.alloc(16, 2), 'sha1');
    expect(first.equals(second)).toBe(false);
    expect(second.equals(referenceIntegrity(raw, 60, Buffer.alloc(16, 2), 'sha1', 20))).toBe(true);
  });
});
