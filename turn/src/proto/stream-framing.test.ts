import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLASS_REQUEST, METHOD_BINDING } from '../stun/constants.js';
import { encodeStunMessage } from '../stun/encode.js';
import { encodeChannelData } from './channel-data.js';
import { StreamDeframer } from './stream-framing.js';

function frames() {
  return fc.array(
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((data) => encodeChannelData(0x4000 + (data.length % 100), data, true)),
      fc.uint8Array({ minLength: 12, maxLength: 12 }).map((id) => encodeStunMessage({ method: METHOD_BINDING, cls: CLASS_REQUEST, transactionId: id, attributes: [] }, { fingerprint: true })),
    ),
    { minLength: 1, maxLength: 20 },
  );
}

describe('cutting frames out of a TCP/TLS stream', () => {
  it('yields the same frames however the stream is split into chunks', () => {
    fc.assert(
      fc.property(frames(), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 50 }), (list, cuts) => {
        const stream = Buffer.concat(list);
        const out: string[] = [];
        const deframer = new StreamDeframer((frame) => out.push(Buffer.from(frame).toString('hex')), 70_000);
        let offset = 0;
        let index = 0;
        while (offset < stream.length) {
          const size = cuts[index++ % cuts.length]!;
          expect(deframer.push(stream.subarray(offset, offset + size))).toBe(true);
          offset += size;
        }
        expect(out).toEqual(list.map((frame) => frame.toString('hex')));
        expect(deframer.bufferedBytes).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses bytes that start neither STUN nor ChannelData, and frames over the limit', () => {
    expect(new StreamDeframer(() => undefined, 70_000).push(Buffer.from([0x80, 0, 0, 0]))).toBe(false);
    expect(new StreamDeframer(() => undefined, 1000).push(Buffer.from([0x40, 0, 0x10, 0]))).toBe(false);
    const split = new StreamDeframer(() => undefined, 1000);
    expect(split.push(Buffer.from([0x40, 0]))).toBe(true);
    expect(split.push(Buffer.from([0x10, 0]))).toBe(false);
  });

  it('never throws on arbitrary chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (chunks) => {
        const deframer = new StreamDeframer(() => undefined, 70_000);
        for (const chunk of chunks) if (!deframer.push(Buffer.from(chunk))) break;
      }),
      { numRuns: 2000 },
    );
  });
});
