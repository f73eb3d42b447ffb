/**
 * Bandwidth accounting as token buckets over a clock passed in. A bucket holds at most one
 * second of its rate; a packet passes when the bucket has its bytes. Rate 0 means unlimited.
 * Pure arithmetic on numbers so the data plane can call it per packet.
 */
export class ByteBucket {
  private tokens: number;
  private lastRefillMs: number;

  constructor(
    private readonly bytesPerSecond: number,
    nowMs: number,
  ) {
    this.tokens = bytesPerSecond;
    this.lastRefillMs = nowMs;
  }

  get unlimited(): boolean {
    return this.bytesPerSecond <= 0;
  }

  /** Takes `bytes` if available; returns false (and takes nothing) when over the rate. */
  take(bytes: number, nowMs: number): boolean {
    if (this.bytesPerSecond <= 0) return true;
    const elapsedMs = nowMs - this.lastRefillMs;
    if (elapsedMs > 0) {
      this.tokens = Math.min(this.bytesPerSecond, this.tokens + (elapsedMs * this.bytesPerSecond) / 1000);
      this.lastRefillMs = nowMs;
    }
    if (this.tokens < bytes) return false;
    this.tokens -= bytes;
    return true;
  }

  /** Gives back bytes taken for a packet that a later check dropped. */
  refund(bytes: number): void {
    if (this.bytesPerSecond > 0) this.tokens = Math.min(this.bytesPerSecond, this.tokens + bytes);
  }
}

/** What one user (all its allocations together) holds on this node. */
export class UserUsage {
  allocations = 0;
  bytesToPeers = 0;
  bytesFromPeers = 0;
  readonly bucket: ByteBucket;

  constructor(
    readonly key: string,
    bytesPerSecond: number,
    nowMs: number,
  ) {
    this.bucket = new ByteBucket(bytesPerSecond, nowMs);
  }
}
