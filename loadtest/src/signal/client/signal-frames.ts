import {
  formatMarker,
  MARKER_PAIR_DIGITS,
  MARKER_SEQ_DIGITS,
  MARKER_TIME_DIGITS,
  SIGNAL_KINDS,
  signalKindFor,
  type SignalTemplate,
} from '../wire.js';
import { encodeTextFrame } from './ws-frame.js';

/**
 * A pair's `signal` messages pre-encoded as complete WebSocket frames, one per kind, with the
 * fixed-width trace marker at a known offset. Sending copies the frame into the connection's
 * outgoing slab and patches the sequence number and send time in place: no string building,
 * no UTF-8 encoding, no allocation per message. The bytes are exactly those of
 * `signalText(template, pairId, seq, sentAtUs)`.
 */
const ZERO = 0x30;

export class EncodedSignal {
  private readonly frames: Buffer[];
  /** Per kind: offset of the sequence number's first digit within the frame. */
  private readonly seqOffsets: number[];

  constructor(template: SignalTemplate, pairId: number) {
    this.frames = [];
    this.seqOffsets = [];
    const marker = formatMarker(pairId, 0, 0);
    for (const kind of SIGNAL_KINDS) {
      const text = template.head + marker + template.tails[kind];
      const frame = encodeTextFrame(text);
      const headerBytes = frame.length - Buffer.byteLength(text);
      this.frames.push(frame);
      this.seqOffsets.push(headerBytes + Buffer.byteLength(template.head) + MARKER_PAIR_DIGITS + 1);
    }
  }

  /** Writes the frame of message `seq` into `target` at `offset`; returns its length. */
  writeTo(target: Buffer, offset: number, seq: number, sentAtUs: number): number {
    const kind = KIND_INDEX[signalKindFor(seq)];
    const frame = this.frames[kind]!;
    frame.copy(target, offset);
    const seqAt = offset + this.seqOffsets[kind]!;
    writeDigits(target, seqAt, MARKER_SEQ_DIGITS, seq);
    writeDigits(target, seqAt + MARKER_SEQ_DIGITS + 1, MARKER_TIME_DIGITS, sentAtUs);
    return frame.length;
  }

  frameBytes(seq: number): number {
    return this.frames[KIND_INDEX[signalKindFor(seq)]]!.length;
  }
}

const KIND_INDEX = Object.fromEntries(SIGNAL_KINDS.map((kind, index) => [kind, index])) as Record<(typeof SIGNAL_KINDS)[number], number>;

/** Writes `value` as exactly `width` zero-padded decimal digits (values too wide keep their low digits). */
function writeDigits(target: Buffer, offset: number, width: number, value: number): void {
  let rest = value;
  for (let position = offset + width - 1; position >= offset; position--) {
    const next = Math.floor(rest / 10);
    target[position] = ZERO + (rest - next * 10);
    rest = next;
  }
}
