import type { PeerLeftReason, RoomClosedReason, RoomOptions } from '@parley/protocol';
import type { Clock } from '../time/clock.js';
import { Room, type ResolvedRoomOptions, type RoomMember, type RoomTimerKind } from './room.js';

export interface RoomDefaults {
  maxPeers: number;
  emptyTimeoutSeconds: number;
  departureTimeoutSeconds: number;
  /** 0 = unlimited. */
  maxDurationSeconds: number;
}

export interface RoomStateLimits {
  maxKeys: number;
  maxBytes: number;
}

/** What the registry tells its owner; called synchronously, after the change is applied. */
export interface RoomLifecycleListener {
  roomStarted(room: Room): void;
  /** A member left (the room may close right after, when it was the last one). */
  memberLeft(room: Room, member: RoomMember, reason: PeerLeftReason): void;
  /** The room is gone; `members` were still in it and must be told. */
  roomFinished(room: Room, reason: RoomClosedReason, members: readonly RoomMember[]): void;
}

export type CreateRoomResult = { ok: true; room: Room } | { ok: false; code: 'ROOM_EXISTS' };

export type JoinRoomResult =
  | { ok: true; room: Room; member: RoomMember; created: boolean }
  | { ok: false; code: 'ROOM_NOT_FOUND' | 'ROOM_FULL' | 'ROOM_CLOSED' | 'ALREADY_IN_ROOM' };

export type SetStateResult = { ok: true; room: Room } | { ok: false; code: 'ROOM_NOT_FOUND' | 'NOT_IN_ROOM' | 'STATE_LIMIT' };

export interface JoinRequest {
  peerId: string;
  userId: string;
  nodeId: string;
  meta: Record<string, unknown> | undefined;
  /** The token allows creating the room if it does not exist. */
  mayCreate: boolean;
}

/**
 * The rooms of one directory and their lifecycle: created on first join (when allowed) or
 * explicitly, closed by the empty timeout (nobody ever joined), the departure timeout (the last
 * peer left), the maximum duration, or on request. Pure domain: time and timers come from the
 * Clock passed in; nothing here does I/O.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();

  constructor(
    private readonly clock: Clock,
    private readonly defaults: RoomDefaults,
    private readonly stateLimits: RoomStateLimits,
    private readonly listener: RoomLifecycleListener,
  ) {}

  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  get size(): number {
    return this.rooms.size;
  }

  resolveOptions(options: RoomOptions = {}): ResolvedRoomOptions {
    const maxDuration = options.maxDurationSeconds ?? this.defaults.maxDurationSeconds;
    return {
      maxPeers: options.maxPeers ?? this.defaults.maxPeers,
      emptyTimeoutSeconds: options.emptyTimeoutSeconds ?? this.defaults.emptyTimeoutSeconds,
      departureTimeoutSeconds: options.departureTimeoutSeconds ?? this.defaults.departureTimeoutSeconds,
      maxDurationSeconds: maxDuration > 0 ? maxDuration : null,
    };
  }

  create(name: string, options: RoomOptions = {}): CreateRoomResult {
    if (this.rooms.has(name)) return { ok: false, code: 'ROOM_EXISTS' };
    const room = new Room(name, this.clock.now(), this.resolveOptions(options), options.metadata);
    this.rooms.set(name, room);
    this.arm(room, 'empty', room.options.emptyTimeoutSeconds, 'empty_timeout');
    if (room.options.maxDurationSeconds !== null) this.arm(room, 'maxDuration', room.options.maxDurationSeconds, 'max_duration');
    this.listener.roomStarted(room);
    return { ok: true, room };
  }

  join(name: string, request: JoinRequest): JoinRoomResult {
    let room = this.rooms.get(name);
    let created = false;
    if (!room) {
      if (!request.mayCreate) return { ok: false, code: 'ROOM_NOT_FOUND' };
      const result = this.create(name);
      if (!result.ok) return { ok: false, code: 'ROOM_NOT_FOUND' };
      room = result.room;
      created = true;
    }
    if (room.closing) return { ok: false, code: 'ROOM_CLOSED' };
    if (room.members.has(request.peerId)) return { ok: false, code: 'ALREADY_IN_ROOM' };
    if (room.members.size >= room.options.maxPeers) return { ok: false, code: 'ROOM_FULL' };
    const member: RoomMember = {
      peerId: request.peerId,
      userId: request.userId,
      nodeId: request.nodeId,
      meta: request.meta,
      joinedAtMs: this.clock.now(),
      joinOrder: room.nextJoinOrder++,
      stats: undefined,
    };
    room.members.set(member.peerId, member);
    room.everJoined = true;
    this.disarm(room, 'empty');
    this.disarm(room, 'departure');
    return { ok: true, room, member, created };
  }

  /** Removes a member; arms the departure timeout when the room becomes empty. */
  leave(name: string, peerId: string, reason: PeerLeftReason): RoomMember | undefined {
    const room = this.rooms.get(name);
    const member = room?.members.get(peerId);
    if (!room || !member) return undefined;
    room.members.delete(peerId);
    this.listener.memberLeft(room, member, reason);
    if (room.members.size === 0 && !room.closing) {
      if (room.options.departureTimeoutSeconds === 0) this.close(name, 'departure_timeout');
      else this.arm(room, 'departure', room.options.departureTimeoutSeconds, 'departure_timeout');
    }
    return member;
  }

  /** Closes the room now: members are handed to the listener, then the room is forgotten. */
  close(name: string, reason: RoomClosedReason): boolean {
    const room = this.rooms.get(name);
    if (!room || room.closing) return false;
    room.closing = true;
    room.closedReason = reason;
    for (const timer of room.timers.values()) timer.handle.cancel();
    room.timers.clear();
    const members = [...room.members.values()];
    room.members.clear();
    this.rooms.delete(name);
    this.listener.roomFinished(room, reason, members);
    return true;
  }

  /** Sets (or with `value === null` deletes) one key of the shared room state, within limits. */
  setState(name: string, peerId: string | null, key: string, value: unknown, serializedValue: string): SetStateResult {
    const room = this.rooms.get(name);
    if (!room) return { ok: false, code: 'ROOM_NOT_FOUND' };
    if (peerId !== null && !room.members.has(peerId)) return { ok: false, code: 'NOT_IN_ROOM' };
    const previous = room.state.get(key);
    const previousBytes = previous === undefined ? 0 : key.length + JSON.stringify(previous).length;
    if (value === null) {
      room.state.delete(key);
      room.stateBytes -= previousBytes;
      return { ok: true, room };
    }
    const nextBytes = room.stateBytes - previousBytes + key.length + serializedValue.length;
    const nextKeys = room.state.size + (previous === undefined ? 1 : 0);
    if (nextKeys > this.stateLimits.maxKeys || nextBytes > this.stateLimits.maxBytes) return { ok: false, code: 'STATE_LIMIT' };
    room.state.set(key, value);
    room.stateBytes = nextBytes;
    return { ok: true, room };
  }

  /** Closes every room (shutdown); returns how many were closed. */
  closeAll(reason: RoomClosedReason): number {
    let count = 0;
    for (const name of [...this.rooms.keys()]) if (this.close(name, reason)) count++;
    return count;
  }

  private arm(room: Room, kind: RoomTimerKind, afterSeconds: number, reason: RoomClosedReason): void {
    this.disarm(room, kind);
    const delayMs = afterSeconds * 1000;
    const handle = this.clock.setTimer(delayMs, () => {
      room.timers.delete(kind);
      this.close(room.name, reason);
    });
    room.timers.set(kind, { handle, dueMs: this.clock.now() + delayMs });
  }

  private disarm(room: Room, kind: RoomTimerKind): void {
    const timer = room.timers.get(kind);
    if (!timer) return;
    timer.handle.cancel();
    room.timers.delete(kind);
  }
}
