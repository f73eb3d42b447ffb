import type { TurnRevocation } from '@parley/protocol';

/**
 * Credentials the signal server has revoked before they expire: by user id (every credential of a
 * user) or by exact TURN username, each until a time. Pure state over a clock passed in.
 */
export class RevocationList {
  private readonly users = new Map<string, number>();
  private readonly usernames = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  get size(): number {
    return this.users.size + this.usernames.size;
  }

  /** Adds a revocation; returns false when the list is full (the caller answers 503). */
  add(revocation: TurnRevocation, nowSeconds: number): boolean {
    this.prune(nowSeconds);
    if (this.size >= this.maxEntries) return false;
    if (revocation.userId !== undefined) this.users.set(revocation.userId, Math.max(this.users.get(revocation.userId) ?? 0, revocation.untilSeconds));
    if (revocation.username !== undefined) this.usernames.set(revocation.username, Math.max(this.usernames.get(revocation.username) ?? 0, revocation.untilSeconds));
    return true;
  }

  isRevoked(username: string, userId: string | null, nowSeconds: number): boolean {
    const byName = this.usernames.get(username);
    if (byName !== undefined && byName > nowSeconds) return true;
    if (userId === null) return false;
    const byUser = this.users.get(userId);
    return byUser !== undefined && byUser > nowSeconds;
  }

  prune(nowSeconds: number): void {
    for (const [key, until] of this.users) if (until <= nowSeconds) this.users.delete(key);
    for (const [key, until] of this.usernames) if (until <= nowSeconds) this.usernames.delete(key);
  }
}
