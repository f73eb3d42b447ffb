/**
 * Frames written while the socket is down, sent in order once the session is resumed. Bounded:
 * when full the oldest frame is dropped (an old ICE candidate is worth less than a new one, and an
 * ICE restart repairs what is lost). Cleared when the session could not be resumed, because the
 * frames were addressed to peers of a session that no longer exists.
 */
export class Outbox {
  #frames: string[] = [];
  #dropped = 0;

  constructor(private readonly maxFrames: number) {}

  get length(): number {
    return this.#frames.length;
  }

  /** Frames dropped since the last `drain()`. */
  get dropped(): number {
    return this.#dropped;
  }

  push(frame: string): void {
    if (this.maxFrames <= 0) {
      this.#dropped++;
      return;
    }
    if (this.#frames.length >= this.maxFrames) {
      this.#frames.shift();
      this.#dropped++;
    }
    this.#frames.push(frame);
  }

  /** Takes every queued frame, oldest first. */
  drain(): string[] {
    const frames = this.#frames;
    this.#frames = [];
    this.#dropped = 0;
    return frames;
  }

  clear(): void {
    this.#frames = [];
    this.#dropped = 0;
  }
}
