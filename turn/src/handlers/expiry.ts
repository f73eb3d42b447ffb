import { endAllocation, type HandlerContext } from './context.js';

/**
 * The periodic part of the state machine, run once a second by the server: allocations whose
 * lifetime ended are deleted (RFC 8656 §7: "when the lifetime expires, the server deletes the
 * allocation"), and expired permissions and channels are forgotten.
 */
export function expireState(context: HandlerContext, nowMs: number): void {
  for (const allocation of context.allocations.expired(nowMs)) endAllocation(context, allocation, 'expired');
  for (const allocation of context.allocations.values()) allocation.sweep(nowMs);
}
