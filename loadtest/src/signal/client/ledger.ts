import { Histogram } from '../../common/histogram.js';
import type { SignalTemplate } from '../wire.js';
import { EncodedSignal } from './signal-frames.js';

/**
 * The books of one load run: what each sender sent to each receiver, what arrived, in which order,
 * how late, and every protocol problem seen. Correctness ("every message delivered exactly once
 * and in order per sender, no errors") is read from here, by the tests and by the benchmark.
 */

/** One direction of one pair of peers: the sender's counter and the receiver's expectation. */
export interface PairState {
  /** Index in `Ledger.pairs`; the first field of the trace marker. */
  readonly id: number;
  readonly senderIndex: number;
  readonly receiverIndex: number;
  readonly template: SignalTemplate;
  /** The same messages as ready-made frames (the fast send path). */
  readonly encoded: EncodedSignal;
  /** The sender's peer id as the receiver must see it in `from`; null when the target does not stamp `from` (echo). */
  fromPeerId: string | null;
  /** `"from":"<fromPeerId>"` as bytes, for the fast path's check. */
  fromNeedle: Buffer | null;
  /** Next sequence number the sender will use. */
  sent: number;
  /** Next sequence number the receiver expects. */
  expected: number;
  /** Messages received in order. */
  received: number;
}

export type ProblemKind =
  | 'out_of_order'
  | 'duplicate'
  | 'lost'
  | 'wrong_from'
  | 'unknown_sender'
  | 'inconsistent_room'
  | 'unexpected_message'
  | 'invalid_message'
  | 'error_frame'
  | 'connection_lost'
  | 'connect_failed'
  | 'join_failed'
  | 'resume_failed'
  | 'http_failed';

const KEPT_EXAMPLES = 20;

export class Problems {
  readonly counts = new Map<ProblemKind, number>();
  readonly examples: string[] = [];

  add(kind: ProblemKind, detail: string, occurrences = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + occurrences);
    if (this.examples.length < KEPT_EXAMPLES) this.examples.push(`${kind}: ${detail}`);
  }

  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  count(kind: ProblemKind): number {
    return this.counts.get(kind) ?? 0;
  }

  toJSON(): { counts: Record<string, number>; examples: string[] } {
    return { counts: Object.fromEntries(this.counts), examples: this.examples };
  }
}

export class Ledger {
  readonly problems = new Problems();
  /** Latency of messages delivered while `recording` is on, in µs. */
  readonly latencyUs = new Histogram();
  /** Messages delivered in order, all run long. */
  delivered = 0;
  recording = false;
  readonly pairs: PairState[] = [];

  addPair(senderIndex: number, receiverIndex: number, template: SignalTemplate, fromPeerId: string | null): PairState {
    const fromNeedle = fromPeerId === null ? null : Buffer.from(`"from":${JSON.stringify(fromPeerId)}`);
    const id = this.pairs.length;
    const encoded = new EncodedSignal(template, id);
    const pair: PairState = { id, senderIndex, receiverIndex, template, encoded, fromPeerId, fromNeedle, sent: 0, expected: 0, received: 0 };
    this.pairs.push(pair);
    return pair;
  }

  /** Called by the receiver for each traced message. */
  arrived(pair: PairState, seq: number, latencyUs: number): void {
    if (seq === pair.expected) {
      pair.expected++;
      pair.received++;
      this.delivered++;
      if (this.recording) this.latencyUs.record(latencyUs);
    } else if (seq < pair.expected) {
      this.problems.add('duplicate', `${pair.senderIndex}→${pair.receiverIndex} seq ${seq} again (expected ${pair.expected})`);
    } else {
      this.problems.add('out_of_order', `${pair.senderIndex}→${pair.receiverIndex} seq ${seq} while expecting ${pair.expected}`);
      // Resynchronise so one gap is reported once, not for every later message.
      pair.received++;
      this.delivered++;
      pair.expected = seq + 1;
    }
  }

  /** Messages sent but not (yet) received, summed over all pairs. */
  get inFlight(): number {
    let inFlight = 0;
    for (const pair of this.pairs) inFlight += pair.sent - pair.received;
    return inFlight;
  }

  get sent(): number {
    let sent = 0;
    for (const pair of this.pairs) sent += pair.sent;
    return sent;
  }

  /** After a drain: every message still unaccounted for is lost (and reported once). */
  settle(): void {
    for (const pair of this.pairs) {
      const missing = pair.sent - pair.expected;
      if (missing > 0) {
        this.problems.add('lost', `${pair.senderIndex}→${pair.receiverIndex}: ${missing} of ${pair.sent} never arrived`, missing);
        pair.expected = pair.sent;
        pair.received = pair.sent;
      }
    }
  }
}
