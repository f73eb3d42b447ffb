/**
 * The last frames written to a session's socket, numbered, so a client that reconnects can say
 * how many it received and get the ones that were lost with its old connection (written to a
 * socket whose death nobody had noticed yet). Bounded by count and by bytes.
 */
export class ReplayLog {
  /** Made on the first append: many sessions (idle ones) never get a numbered frame. */
  private frames: string[] | null = null;
  /** Sequence number of frames[0]. */
  private firstSeq = 1;
  private bytes = 0;

  constructor(
    private readonly maxFrames: number,
    private readonly maxBytes: number,
  ) {}

  /** Records the frame with the next sequence number (`lastSeq + 1`). */
  append(frame: string): void {
    if (this.maxFrames === 0) {
      this.firstSeq++;
      return;
    }
    const frames = (this.frames ??= []);
    frames.push(frame);
    this.bytes += frame.length;
    while (frames.length > this.maxFrames || (this.bytes > this.maxBytes && frames.length > 0)) {
      this.bytes -= frames.shift()!.length;
      this.firstSeq++;
    }
  }

  /** Sequence number of the last frame appended (0 before any). */
  get lastSeq(): number {
    return this.firstSeq + (this.frames === null ? 0 : this.frames.length) - 1;
  }

  /** The frames after `seq`, oldest first; null when some of them are no longer kept or `seq` is ahead. */
  since(seq: number): string[] | null {
    if (seq > this.lastSeq || seq < this.firstSeq - 1) return null;
    return this.frames === null ? [] : this.frames.slice(seq - this.firstSeq + 1);
  }
}
