import { describe, expect, it } from 'vitest';
import { ClientMessage } from '@parley/protocol';
import { EncodedSignal } from './client/signal-frames.js';
import { MESSAGE_TARGET_BYTES, parseMarker, signalKindFor, signalTemplate, signalText, SIGNAL_KINDS } from './wire.js';

describe('load-test signal messages', () => {
  const template = signalTemplate('room-1', 'peer_ABC-123xyz');

  it('are valid protocol `signal` messages of about 300 bytes for every kind', () => {
    for (let seq = 0; seq < 8; seq++) {
      const text = signalText(template, 42, seq, 1_234_567);
      const message = ClientMessage.parse(JSON.parse(text));
      expect(message.type).toBe('signal');
      expect(Math.abs(Buffer.byteLength(text) - MESSAGE_TARGET_BYTES)).toBeLessThanOrEqual(2);
      expect((message as { payload: { kind: string } }).payload.kind).toBe(signalKindFor(seq));
    }
  });

  it('cycle offer, answer, then candidates', () => {
    expect([0, 1, 2, 7, 8, 9].map(signalKindFor)).toEqual(['offer', 'answer', 'candidate', 'candidate', 'offer', 'answer']);
    expect(SIGNAL_KINDS).toEqual(['offer', 'answer', 'candidate']);
  });

  it('carry a marker that reads back as pair, sequence number and send time', () => {
    const text = signalText(template, 42, 7, 98_765_432_109);
    expect(parseMarker(text)).toEqual({ pairId: 42, seq: 7, sentAtUs: 98_765_432_109 });
    expect(parseMarker('{"type":"signal"}')).toBeNull();
  });

  it('pre-encode into frames whose bytes equal the text of the same message', () => {
    const encoded = new EncodedSignal(template, 42);
    for (const [seq, sentAtUs] of [
      [0, 0],
      [1, 5],
      [9, 1_700_000_000_123],
      [123_456_789, 42],
    ] as const) {
      const target = Buffer.alloc(encoded.frameBytes(seq) + 10);
      const length = encoded.writeTo(target, 5, seq, sentAtUs);
      const frame = target.subarray(5, 5 + length);
      expect(frame.subarray(8).toString('utf8')).toBe(signalText(template, 42, seq, sentAtUs));
      expect(frame.readUInt16BE(2)).toBe(length - 8);
    }
  });
});
