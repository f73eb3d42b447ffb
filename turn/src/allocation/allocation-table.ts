import type { Allocation } from './allocation.js';
import { UserUsage } from './quotas.js';

/**
 * Every allocation of this node, the per-user usage they share, and the counts the quotas look
 * at. The 5-tuple → allocation lookup itself lives on the ClientLink (one object per 5-tuple).
 */
export class AllocationTable {
  private readonly byId = new Map<string, Allocation>();
  private readonly users = new Map<string, UserUsage>();
  private readonly byRelayPort = new Map<number, Allocation>();

  constructor(private readonly userBytesPerSecond: number) {}

  get size(): number {
    return this.byId.size;
  }

  values(): IterableIterator<Allocation> {
    return this.byId.values();
  }

  get(id: string): Allocation | undefined {
    return this.byId.get(id);
  }

  /** The usage record of a user (created on first use; released when its last allocation goes). */
  userUsage(key: string, nowMs: number): UserUsage {
    let usage = this.users.get(key);
    if (!usage) {
      usage = new UserUsage(key, this.userBytesPerSecond, nowMs);
      this.users.set(key, usage);
    }
    return usage;
  }

  allocationsOfUser(key: string): number {
    return this.users.get(key)?.allocations ?? 0;
  }

  add(allocation: Allocation): void {
    this.byId.set(allocation.id, allocation);
    allocation.user.allocations++;
    for (const relay of allocation.relays) this.byRelayPort.set(relay.port, allocation);
  }

  /** Removes an allocation; returns false when it was not (or no longer) in the table. */
  remove(allocation: Allocation): boolean {
    if (!this.byId.delete(allocation.id)) return false;
    for (const relay of allocation.relays) if (this.byRelayPort.get(relay.port) === allocation) this.byRelayPort.delete(relay.port);
    allocation.user.allocations--;
    if (allocation.user.allocations <= 0) this.users.delete(allocation.user.key);
    return true;
  }

  /** The allocation whose relayed socket is bound to `port` (ports are unique per relay address). */
  byRelayedPort(port: number): Allocation | undefined {
    return this.byRelayPort.get(port);
  }

  /** The allocation whose advertised relayed transport address is (address, port), if it is on this node. */
  byRelayedAddress(address: string, port: number): Allocation | undefined {
    const allocation = this.byRelayPort.get(port);
    if (allocation === undefined) return undefined;
    const relayed = allocation.relayedAddresses;
    for (let i = 0; i < relayed.length; i++) if (relayed[i]!.port === port && relayed[i]!.address === address) return allocation;
    return undefined;
  }

  /** Allocations whose lifetime ended at `nowMs`. */
  expired(nowMs: number): Allocation[] {
    const out: Allocation[] = [];
    for (const allocation of this.byId.values()) if (allocation.expiresAtMs <= nowMs) out.push(allocation);
    return out;
  }
}
