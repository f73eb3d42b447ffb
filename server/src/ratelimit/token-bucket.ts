/**
 * Token-bucket arithmetic, pure: the caller passes the current time, so the same buckets work
 * under a fake clock. `TokenBucket` is one bucket as an object; `UserLimits` keeps several
 * buckets as plain numbers in one object and uses the same two functions.
 */

/** Tokens after `elapsedMs` of refilling at `refillPerSecond`, never above `capacity`. */
export function refilledTokens(tokens: number, capacity: number, refillPerSecond: number, elapsedMs: number): number {
  return Math.min(capacity, tokens + (elapsedMs * refillPerSecond) / 1000);
}

/** Milliseconds until `cost` tokens are available (0 when they are now; infinite above capacity). */
export function msUntilTokens(tokens: number, cost: number, capacity: number, refillPerSecond: number): number {
  if (tokens >= cost) return 0;
  if (cost > capacity) return Number.POSITIVE_INFINITY;
  return Math.ceil(((cost - tokens) / refillPerSecond) * 1000);
}

/** A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`. */
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
    return msUntilTokens(this.tokens, cost, this.capacity, this.refillPerSecond);
  }

  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }

  private refill(nowMs: number): void {
    const elapsedMs = nowMs - this.updatedAtMs;
    if (elapsedMs <= 0) return;
    this.tokens = refilledTokens(this.tokens, this.capacity, this.refillPerSecond, elapsedMs);
    this.updatedAtMs = nowMs;
  }
}
