import type { Allocation } from '../allocation/allocation.js';
import type { AllocationTable } from '../allocation/allocation-table.js';
import type { PeerPolicy } from '../allocation/peer-policy.js';
import type { ClientLink, RelaySocketFactory } from '../allocation/ports.js';
import type { AuthFailureReason, Authenticator } from '../auth/authenticator.js';
import type { TurnConfig } from '../config.js';
import type { RelayEngine } from '../relay/relay-engine.js';
import type { TransportAddress } from '../stun/address.js';

/** Why an allocation ended (a bounded label). */
export type AllocationEndReason = 'refresh' | 'expired' | 'revoked' | 'connection_closed' | 'shutdown';

/** What the control plane reports outward: the server turns these into logs and metrics. */
export interface ControlEvents {
  request(method: string, code: number): void;
  authFailure(reason: AuthFailureReason): void;
  allocationCreated(allocation: Allocation): void;
  allocationEnded(allocation: Allocation, reason: AllocationEndReason): void;
  /** A STUN message or datagram that could not be decoded (never logged per packet; counted). */
  malformed(reason: string): void;
  /** A handler threw: a bug, logged at error with its cause. */
  internalError(error: unknown): void;
}

export interface HandlerContext {
  readonly config: TurnConfig;
  readonly clock: { nowMs(): number };
  readonly auth: Authenticator;
  readonly allocations: AllocationTable;
  readonly policy: PeerPolicy;
  readonly relay: RelayEngine;
  readonly relaySockets: RelaySocketFactory;
  readonly events: ControlEvents;
  /** The relayed address advertised to clients for a socket bound to `bindAddress` (the externalIp mapping). */
  advertisedAddress(family: 4 | 6, bindAddress: string, port: number): TransportAddress;
  newAllocationId(): string;
}

/** Ends an allocation: forgets it, releases its relayed sockets, frees its 5-tuple. Idempotent. */
export function endAllocation(context: HandlerContext, allocation: Allocation, reason: AllocationEndReason): void {
  if (allocation.closed) return;
  allocation.closed = true;
  context.allocations.remove(allocation);
  for (const relay of allocation.relays) relay.close();
  const link: ClientLink = allocation.client;
  if (link.allocation === allocation) {
    link.allocation = null;
    link.detach();
  }
  context.events.allocationEnded(allocation, reason);
}

/** Method names used as metric labels (a bounded set). */
export const METHOD_NAMES: Readonly<Record<number, string>> = {
  0x001: 'binding',
  0x003: 'allocate',
  0x004: 'refresh',
  0x006: 'send',
  0x008: 'create_permission',
  0x009: 'channel_bind',
};

export function methodName(method: number): string {
  return METHOD_NAMES[method] ?? 'other';
}
