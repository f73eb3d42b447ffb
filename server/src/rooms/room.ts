import type { RoomClosedReason, StatsReport } from '@parley/protocol';
import type { TimerHandle } from '../time/clock.js';

/** Options a room was created with, defaults applied. `maxDurationSeconds: null` = unlimited. */
export interface ResolvedRoomOptions {
  maxPeers: number;
  emptyTimeoutSeconds: number;
  departureTimeoutSeconds: number;
  maxDurationSeconds: number | null;
}

export interface RoomMember {
  readonly peerId: string;
  readonly userId: string;
  readonly nodeId: string;
  readonly meta: Record<string, unknown> | undefined;
  readonly joinedAtMs: number;
  /** Position in the room's join sequence; decides perfect-negotiation roles. */
  readonly joinOrder: number;
  /** Latest client `stats` report for this room, if any. */
  stats: { report: StatsReport; receivedAtMs: number } | undefined;
}

export type RoomTimerKind = 'empty' | 'departure' | 'maxDuration';

/**
 * One room: its members in join order, its shared state and its pending timeouts. Mutated only
 * by RoomRegistry, which owns the lifecycle rules.
 */
export class Room {
  readonly members = new Map<string, RoomMember>();
  readonly state = new Map<string, unknown>();
  stateBytes = 0;
  nextJoinOrder = 0;
  /** True from the moment a close starts; joins are refused. */
  closing = false;
  closedReason: RoomClosedReason | undefined;
  /** Set once the room has had a member; the empty timeout applies only before that. */
  everJoined = false;
  readonly timers = new Map<RoomTimerKind, { handle: TimerHandle; dueMs: number }>();

  constructor(
    readonly name: string,
    readonly createdAtMs: number,
    readonly options: ResolvedRoomOptions,
    readonly metadata: Record<string, unknown> | undefined,
  ) {}

  /** Unix ms at which the earliest armed timeout closes the room, or null. */
  closesAtMs(): number | null {
    let earliest: number | null = null;
    for (const timer of this.timers.values()) if (earliest === null || timer.dueMs < earliest) earliest = timer.dueMs;
    return earliest;
  }

  stateObject(): Record<string, unknown> {
    return Object.fromEntries(this.state);
  }

  /**
   * The W3C perfect-negotiation role of `viewer` towards `other`: of any two peers exactly one is
   * polite, and the one that joined later is the impolite one.
   */
  static isPoliteTowards(viewer: RoomMember, other: RoomMember): boolean {
    return viewer.joinOrder < other.joinOrder;
  }
}
