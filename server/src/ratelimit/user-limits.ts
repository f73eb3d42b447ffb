import { msUntilTokens, refilledTokens } from './token-bucket.js';

export interface UserLimitSettings {
  messagesPerSecond: number;
  messagesBurst: number;
  bytesPerSecond: number;
  bytesBurst: number;
  joinsPerMinute: number;
}

export type LimitKind = 'messages' | 'bytes' | 'joins';

export type LimitVerdict = { ok: true } | { ok: false; limit: LimitKind; retryAfterMs: number };

const OK: LimitVerdict = { ok: true };

/**
 * The buckets of one user, shared by all of that user's connections on this node. A message
 * must pass both the message bucket and the byte bucket; a join also spends a join token.
 *
 * The three buckets are plain numbers in this one object with one shared refill time (every
 * bucket is refilled whenever any is used; refilling is linear and capped, so that gives the
 * same tokens as separate refills): one object per user instead of four, which matters at
 * tens of thousands of idle connections (docs/benchmarks.md).
 */
export class UserLimits {
  private messageTokens: number;
  private byteTokens: number;
  private joinTokens: number;
  private updatedAtMs: number;
  /** Sessions currently holding this entry; the registry drops it at zero. */
  holders = 0;

  constructor(
    private readonly settings: Readonly<UserLimitSettings>,
    nowMs: number,
  ) {
    this.messageTokens = settings.messagesBurst;
    this.byteTokens = settings.bytesBurst;
    this.joinTokens = settings.joinsPerMinute;
    this.updatedAtMs = nowMs;
  }

  /** Charges one message of `byteLength` bytes. Nothing is charged when it is refused. */
  chargeMessage(nowMs: number, byteLength: number): LimitVerdict {
    this.refill(nowMs);
    const { settings } = this;
    if (this.messageTokens < 1) {
      return { ok: false, limit: 'messages', retryAfterMs: msUntilTokens(this.messageTokens, 1, settings.messagesBurst, settings.messagesPerSecond) };
    }
    if (this.byteTokens < byteLength) {
      const retryAfterMs = msUntilTokens(this.byteTokens, byteLength, settings.bytesBurst, settings.bytesPerSecond);
      return { ok: false, limit: 'bytes', retryAfterMs: Math.min(60_000, retryAfterMs) };
    }
    this.byteTokens -= byteLength;
    this.messageTokens -= 1;
    return OK;
  }

  chargeJoin(nowMs: number): LimitVerdict {
    this.refill(nowMs);
    if (this.joinTokens >= 1) {
      this.joinTokens -= 1;
      return OK;
    }
    const perMinute = this.settings.joinsPerMinute;
    return { ok: false, limit: 'joins', retryAfterMs: msUntilTokens(this.joinTokens, 1, perMinute, perMinute / 60) };
  }

  private refill(nowMs: number): void {
    const elapsedMs = nowMs - this.updatedAtMs;
    if (elapsedMs <= 0) return;
    const { settings } = this;
    this.messageTokens = refilledTokens(this.messageTokens, settings.messagesBurst, settings.messagesPerSecond, elapsedMs);
    this.byteTokens = refilledTokens(this.byteTokens, settings.bytesBurst, settings.bytesPerSecond, elapsedMs);
    this.joinTokens = refilledTokens(this.joinTokens, settings.joinsPerMinute, settings.joinsPerMinute / 60, elapsedMs);
    this.updatedAtMs = nowMs;
  }
}

/** userId → UserLimits, created on first use and forgotten when the user's last session ends. */
export class UserLimitsRegistry {
  private readonly byUser = new Map<string, UserLimits>();
  private readonly settings: Readonly<UserLimitSettings>;

  constructor(settings: UserLimitSettings) {
    this.settings = Object.freeze({ ...settings });
  }

  acquire(userId: string, nowMs: number): UserLimits {
    let limits = this.byUser.get(userId);
    if (!limits) {
      limits = new UserLimits(this.settings, nowMs);
      this.byUser.set(userId, limits);
    }
    limits.holders++;
    return limits;
  }

  release(userId: string): void {
    const limits = this.byUser.get(userId);
    if (!limits) return;
    limits.holders--;
    if (limits.holders <= 0) this.byUser.delete(userId);
  }

  get size(): number {
    return this.byUser.size;
  }
}
