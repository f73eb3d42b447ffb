import type { Frame } from '../wire/frame.js';

/** The first byte ring allocated; it doubles as needed up to what the limits can ever hold. */
const MIN_CAPACITY_BYTES = 256;

/**
 * The last frames written to a session's socket, numbered, so a client that reconnects can say
 * how many it received and get the ones that were lost with its old connection (written to a
 * socket whose death nobody had noticed yet). Bounded by count and by bytes.
 *
 * The frames are copied into one ring of bytes per session instead of being kept as objects:
 * every relayed frame passes through here, and keeping each one alive for the next few dozen
 * frames made all of them outlive V8's young generation, so they were copied by the scavenger
 * and promoted, and the relay paid for full garbage collections (docs/benchmarks.md). A copy of
 * ~300 bytes costs less than that, and nothing here allocates once the ring has grown.
 *
 * The records' lengths live in a ring of their own (one number per frame kept), not in headers
 * inside the byte ring: dropping the oldest record on each append then reads a small, hot array
 * instead of the byte ring's coldest line (frames written a few dozen messages ago, of every
 * session on the node), which made dropping cost more than copying (docs/benchmarks.md).
 */
export class ReplayLog {
  /** Made on the first append: many sessions (idle ones) never get a numbered frame. */
  private ring: Buffer | null = null;
  /** The kept frames' byte lengths, oldest at `firstLength`; made with the ring. */
  private lengths: Uint32Array | null = null;
  private firstLength = 0;
  /** Offset of the oldest frame's first byte in the ring. */
  private head = 0;
  /** Records kept. */
  private count = 0;
  /** Frame bytes kept: what `maxBytes` bounds. */
  private usedBytes = 0;
  /** Sequence number of the oldest record (of the next frame when none is kept). */
  private firstSeq = 1;

  constructor(
    private readonly maxFrames: number,
    private readonly maxBytes: number,
  ) {}

  /** Records the frame with the next sequence number (`lastSeq + 1`). */
  append(frame: Frame): void {
    if (this.maxFrames === 0) {
      this.firstSeq++;
      return;
    }
    const bytes = typeof frame === 'string' ? Buffer.from(frame, 'utf8') : frame;
    const length = bytes.length;
    if (length > this.maxBytes) {
      // Never kept, so no frame before it can be replayed either: forget them all.
      this.firstSeq += this.count + 1;
      this.head = 0;
      this.firstLength = 0;
      this.usedBytes = 0;
      this.count = 0;
      return;
    }
    while (this.count >= this.maxFrames || this.usedBytes + length > this.maxBytes) this.dropOldest();
    const ring = this.reserve(length);
    const lengths = this.lengths!;
    let lengthAt = this.firstLength + this.count;
    if (lengthAt >= lengths.length) lengthAt -= lengths.length;
    lengths[lengthAt] = length;
    const capacity = ring.length;
    let tail = this.head + this.usedBytes;
    if (tail >= capacity) tail -= capacity;
    const untilEnd = capacity - tail;
    if (length <= untilEnd) ring.set(bytes, tail);
    else {
      ring.set(bytes.subarray(0, untilEnd), tail);
      ring.set(bytes.subarray(untilEnd), 0);
    }
    this.usedBytes += length;
    this.count++;
  }

  /** Sequence number of the last frame appended (0 before any). */
  get lastSeq(): number {
    return this.firstSeq + this.count - 1;
  }

  /** The frames after `seq`, oldest first (as bytes); null when some of them are no longer kept or `seq` is ahead. */
  since(seq: number): Buffer[] | null {
    if (seq > this.lastSeq || seq < this.firstSeq - 1) return null;
    const frames: Buffer[] = [];
    let at = this.head;
    for (let index = 0; index < this.count; index++) {
      const length = this.lengths![(this.firstLength + index) % this.lengths!.length]!;
      if (this.firstSeq + index > seq) frames.push(this.copyOut(at, length));
      at = (at + length) % this.ring!.length;
    }
    return frames;
  }

  private dropOldest(): void {
    const lengths = this.lengths!;
    const length = lengths[this.firstLength]!;
    if (++this.firstLength === lengths.length) this.firstLength = 0;
    const capacity = this.ring!.length;
    const next = this.head + length;
    this.head = next >= capacity ? next - capacity : next;
    this.usedBytes -= length;
    this.count--;
    this.firstSeq++;
  }

  /** The ring, grown (oldest frame moved to offset 0) when `bytes` more would not fit. */
  private reserve(bytes: number): Buffer {
    const ring = this.ring;
    const needed = this.usedBytes + bytes;
    if (ring !== null && needed <= ring.length) return ring;
    this.lengths ??= new Uint32Array(this.maxFrames);
    let capacity = ring === null ? MIN_CAPACITY_BYTES : ring.length * 2;
    while (capacity < needed) capacity *= 2;
    // Slow (unpooled) allocation: a long-lived ring must not pin a shared 8 KiB pool slab. Never
    // past what the byte limit lets the frames take.
    const grown = Buffer.allocUnsafeSlow(Math.min(capacity, Math.max(this.maxBytes, needed, 1)));
    if (ring !== null && this.usedBytes > 0) {
      const untilEnd = ring.length - this.head;
      if (this.usedBytes <= untilEnd) ring.copy(grown, 0, this.head, this.head + this.usedBytes);
      else {
        ring.copy(grown, 0, this.head, ring.length);
        ring.copy(grown, untilEnd, 0, this.usedBytes - untilEnd);
      }
    }
    this.ring = grown;
    this.head = 0;
    return grown;
  }

  private copyOut(at: number, length: number): Buffer {
    const ring = this.ring!;
    const frame = Buffer.allocUnsafe(length);
    const untilEnd = ring.length - at;
    if (length <= untilEnd) ring.copy(frame, 0, at, at + length);
    else {
      ring.copy(frame, 0, at, ring.length);
      ring.copy(frame, untilEnd, 0, length - untilEnd);
    }
    return frame;
  }
}
