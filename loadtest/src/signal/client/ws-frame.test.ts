import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCloseFrame, encodeTextFrame, FrameReader, OPCODE_CLOSE, OPCODE_PING, OPCODE_TEXT } from './ws-frame.js';

/** A server frame as RFC 6455 §5.2 lays it out: FIN, opcode, unmasked length, payload. */
function serverFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0, length]) : length < 65_536 ? Buffer.from([0, 126, length >> 8, length & 0xff]) : Buffer.alloc(10);
  if (length >= 65_536) {
    header[1] = 127;
    header.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    header.writeUInt32BE(length >>> 0, 6);
  }
  header[0] = (fin ? 0x80 : 0) | opcode;
  return Buffer.concat([header, payload]);
}

function collect() {
  const messages: string[] = [];
  const controls: number[] = [];
  const errors: string[] = [];
  const reader = new FrameReader({
    onMessage: (_opcode, payload) => messages.push(payload.toString('utf8')),
    onControl: (opcode) => controls.push(opcode),
    onProtocolError: (reason) => errors.push(reason),
  });
  return { reader, messages, controls, errors };
}

describe('client frame encoding', () => {
  it('sets FIN, the text opcode, the mask bit, a zero masking key and the payload unchanged', () => {
    const frame = encodeTextFrame('héllo');
    expect(frame[0]).toBe(0x81);
    expect(frame[1]).toBe(0x80 | 6);
    expect(frame.subarray(2, 6)).toEqual(Buffer.alloc(4));
    expect(frame.subarray(6).toString('utf8')).toBe('héllo');
  });

  it('uses the 16-bit and 64-bit extended lengths where RFC 6455 requires them', () => {
    const medium = encodeTextFrame('x'.repeat(300));
    expect(medium[1]).toBe(0x80 | 126);
    expect(medium.readUInt16BE(2)).toBe(300);
    expect(medium.length).toBe(8 + 300);
    const large = encodeTextFrame('y'.repeat(70_000));
    expect(large[1]).toBe(0x80 | 127);
    expect(large.readUInt32BE(6)).toBe(70_000);
    expect(large.length).toBe(14 + 70_000);
  });

  it('encodes a close frame with its status code', () => {
    const frame = encodeCloseFrame(4410, 'bye');
    expect(frame[0]).toBe(0x80 | OPCODE_CLOSE);
    expect(frame.readUInt16BE(6)).toBe(4410);
    expect(frame.subarray(8).toString()).toBe('bye');
  });
});

describe('FrameReader', () => {
  it('decodes any stream of server frames however TCP splits it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 400 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 50 }),
        (texts, cuts) => {
          const stream = Buffer.concat(texts.map((text) => serverFrame(OPCODE_TEXT, Buffer.from(text))));
          const { reader, messages, errors } = collect();
          let offset = 0;
          for (let index = 0; offset < stream.length; index++) {
            const size = cuts[index % cuts.length]!;
            reader.push(stream.subarray(offset, offset + size));
            offset += size;
          }
          expect(errors).toEqual([]);
          expect(messages).toEqual(texts);
        },
      ),
    );
  });

  it('joins fragmented messages and passes control frames between the fragments', () => {
    const { reader, messages, controls } = collect();
    reader.push(serverFrame(OPCODE_TEXT, Buffer.from('hel'), false));
    reader.push(serverFrame(OPCODE_PING, Buffer.from('p')));
    reader.push(serverFrame(0x0, Buffer.from('lo'), true));
    expect(messages).toEqual(['hello']);
    expect(controls).toEqual([OPCODE_PING]);
  });

  it('decodes a 64-bit length frame', () => {
    const { reader, messages } = collect();
    reader.push(serverFrame(OPCODE_TEXT, Buffer.from('z'.repeat(70_000))));
    expect(messages[0]).toHaveLength(70_000);
  });

  it('rejects masked server frames, set RSV bits and oversized control frames', () => {
    const masked = collect();
    masked.reader.push(Buffer.from([0x81, 0x81, 0, 0, 0, 0, 0x41]));
    expect(masked.errors).toEqual(['the server sent a masked frame']);

    const rsv = collect();
    rsv.reader.push(Buffer.from([0xc1, 0x01, 0x41]));
    expect(rsv.errors).toHaveLength(1);

    const control = collect();
    control.reader.push(serverFrame(OPCODE_PING, Buffer.alloc(126)));
    expect(control.errors).toEqual(['invalid control frame']);
    // Once failed, the reader ignores the rest of the stream.
    control.reader.push(serverFrame(OPCODE_TEXT, Buffer.from('late')));
    expect(control.messages).toEqual([]);
  });
});
