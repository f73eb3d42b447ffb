/**
 * A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`. Pure: the
 * caller passes the current time, so the same bucket works under a fake clock.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAtMs: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.updatedAtMs = nowMs;
  }

  /** Takes `cost` tokens if available; returns false (and takes nothing) otherwise. */
  tryTake(nowMs: number, cost = 1): boolean {
    this.refill(nowMs);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Milliseconds until `cost` tokens are available (0 when they are now). */
  msUntilAvailable(nowMs: number, cost = 1): number {
    this.refill(nowMs);
    if (this.tokens >= cost) return 0;
    if (cost > this.capacity) return Number.POSITIVE_INFINITY;
    return Math.ceil(((cost - this.tokens) / this.refillPerSecond) * 1000);
  }

  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }

  private refill(nowMs: number): void {
    const elapsedMs = nowMs - this.updatedAtMs;
    if (elapsedMs <= 0) return;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsedMs * this.refillPerSecond) / 1000);
    this.updatedAtMs = nowMs;
  }
}
