import { TokenBucket } from './token-bucket.js';

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
 */
export class UserLimits {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly joins: TokenBucket;
  /** Sessions currently holding this entry; the registry drops it at zero. */
  holders = 0;

  constructor(settings: UserLimitSettings, nowMs: number) {
    this.messages = new TokenBucket(settings.messagesBurst, settings.messagesPerSecond, nowMs);
    this.bytes = new TokenBucket(settings.bytesBurst, settings.bytesPerSecond, nowMs);
    this.joins = new TokenBucket(settings.joinsPerMinute, settings.joinsPerMinute / 60, nowMs);
  }

  /** Charges one message of `byteLength` bytes. Nothing is charged when it is refused. */
  chargeMessage(nowMs: number, byteLength: number): LimitVerdict {
    if (this.messages.available(nowMs) < 1) return { ok: false, limit: 'messages', retryAfterMs: this.messages.msUntilAvailable(nowMs) };
    if (!this.bytes.tryTake(nowMs, byteLength)) {
      return { ok: false, limit: 'bytes', retryAfterMs: Math.min(60_000, this.bytes.msUntilAvailable(nowMs, byteLength)) };
    }
    this.messages.tryTake(nowMs);
    return OK;
  }

  chargeJoin(nowMs: number): LimitVerdict {
    if (this.joins.tryTake(nowMs)) return OK;
    return { ok: false, limit: 'joins', retryAfterMs: this.joins.msUntilAvailable(nowMs) };
  }
}

/** userId → UserLimits, created on first use and forgotten when the user's last session ends. */
export class UserLimitsRegistry {
  private readonly byUser = new Map<string, UserLimits>();

  constructor(private readonly settings: UserLimitSettings) {}

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
