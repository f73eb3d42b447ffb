import type { PeerLeftReason, RoomClosedReason, RoomOptions, SignalNode, StatsReport } from '@parley/protocol';
import type { JoinRequest, ResolvedRoomOptions, RoomMember } from '../rooms/index.js';
import type { Frame } from '../wire/frame.js';

/**
 * The Cluster port: everything a signal node needs to know or reach beyond its own sockets.
 * Sessions and the admin API talk only to this interface, so a node runs the same code alone
 * (LocalCluster, in-memory, the default) or with other nodes (a Redis implementation: node
 * registry with heartbeats, room → members directory in hashes, per-node channels for targeted
 * delivery, room channels for fan-out, resume state and counters in keys with TTLs).
 *
 * Conventions of the port:
 *  - Operations that must be atomic across nodes (joins against maxPeers, room creation, slot
 *    counters, resume take-over) are async.
 *  - Reads on the relay hot path (is this peer in that room? where is it?) and deliveries are
 *    synchronous: a Redis implementation serves them from a local replica kept current by the
 *    room channels, and delivers to remote peers by publishing on their node's channel.
 *  - Frames are already-serialized server messages (text, or its UTF-8 bytes); the cluster never
 *    re-encodes them.
 */

/** A connected (or resuming) peer on this node, as the cluster reaches it. */
export interface PeerEndpoint {
  readonly peerId: string;
  readonly userId: string;
  /** Queues one frame for the peer (sent now, or buffered while it is resuming). */
  deliver(frame: Frame): void;
  /** The room closed under the peer; `room.closed` has already been delivered. */
  roomClosed(room: string, reason: RoomClosedReason): void;
}

/** A read-only view of a room in the directory. */
export interface RoomView {
  readonly name: string;
  readonly createdAtMs: number;
  readonly options: ResolvedRoomOptions;
  readonly metadata: Record<string, unknown> | undefined;
  readonly members: ReadonlyMap<string, RoomMember>;
  readonly closing: boolean;
  closesAtMs(): number | null;
  stateObject(): Record<string, unknown>;
}

export type CreateRoomOutcome = { ok: true; room: RoomView } | { ok: false; code: 'ROOM_EXISTS' };

export interface JoinedRoom {
  room: RoomView;
  member: RoomMember;
  created: boolean;
}

export type JoinOutcome =
  | ({ ok: true } & JoinedRoom)
  | { ok: false; code: 'ROOM_NOT_FOUND' | 'ROOM_FULL' | 'ROOM_CLOSED' | 'ALREADY_IN_ROOM' };

export type SetStateOutcome = { ok: true } | { ok: false; code: 'ROOM_NOT_FOUND' | 'NOT_IN_ROOM' | 'STATE_LIMIT' };

/** Lifecycle events, for the admin live stream, webhooks and metrics. */
export type ClusterEvent =
  | { type: 'room.started'; timeMs: number; room: string }
  | { type: 'room.finished'; timeMs: number; room: string; reason: RoomClosedReason }
  | { type: 'peer.joined'; timeMs: number; room: string; peerId: string; userId: string }
  | { type: 'peer.left'; timeMs: number; room: string; peerId: string; userId: string; reason: PeerLeftReason };

/** What a node reports about itself on each heartbeat. */
export interface NodeHeartbeat {
  address: string;
  version: string;
  startedAtMs: number;
  ready: boolean;
  draining: boolean;
  uwsNative: boolean;
  peers: number;
}

/** Session state kept while a peer may still resume (its frames stay with its endpoint). */
export interface ResumeRecord {
  peerId: string;
  userId: string;
  nodeId: string;
}

export interface Cluster {
  readonly nodeId: string;
  readonly kind: 'local' | 'redis';

  // ---- node registry
  heartbeat(status: NodeHeartbeat): Promise<void>;
  listNodes(): Promise<SignalNode[]>;

  // ---- room → members directory (the only writer of room membership)
  createRoom(name: string, options: RoomOptions): Promise<CreateRoomOutcome>;
  /**
   * Joins (creating when allowed) and tells the other members `peer.joined`. `beforeAnnounce`
   * runs on success before anyone else hears of the join, so the joiner's `room.joined` is
   * always ahead of any message from the others.
   */
  joinRoom(room: string, request: JoinRequest, beforeAnnounce?: (joined: JoinedRoom) => void): Promise<JoinOutcome>;
  /** Removes a member and tells the others `peer.left`. False when it was not a member. */
  leaveRoom(room: string, peerId: string, reason: PeerLeftReason): Promise<boolean>;
  /** Closes a room: every member gets `room.closed` and leaves it. */
  closeRoom(room: string, reason: RoomClosedReason): Promise<boolean>;
  /** Sets one key of the room state and tells every member (sender included) `room.state`. */
  setRoomState(room: string, fromPeerId: string | null, key: string, value: unknown): Promise<SetStateOutcome>;
  /** Stores a member's latest stats report (for quality in the admin API). */
  recordStats(room: string, peerId: string, report: StatsReport, receivedAtMs: number): boolean;
  room(name: string): RoomView | undefined;
  rooms(): Iterable<RoomView>;
  isMember(room: string, peerId: string): boolean;

  // ---- delivery
  /** Targeted delivery to one peer wherever it is connected. False if unknown. */
  sendToPeer(peerId: string, frame: Frame): boolean;
  /** Fan-out to every member of a room except `exceptPeerId`; returns the number reached. */
  publishToRoom(room: string, frame: Frame, exceptPeerId?: string): number;
  /** Delivery to every session of a user except `exceptPeerId`; returns the number reached. */
  sendToUser(userId: string, frame: Frame, exceptPeerId?: string): number;

  // ---- peers on this node
  attach(endpoint: PeerEndpoint): void;
  detach(peerId: string): void;
  /** Local endpoint of a peer on this node. */
  endpoint(peerId: string): PeerEndpoint | undefined;

  // ---- resume state
  saveResume(token: string, record: ResumeRecord, ttlMs: number): Promise<void>;
  /** Takes (and forgets) the record of a resume token that has not lapsed. */
  takeResume(token: string): Promise<ResumeRecord | undefined>;
  dropResume(token: string): Promise<void>;

  // ---- cluster-wide counters (connection limits)
  /** Takes one slot under `key` if fewer than `limit` are held. */
  acquireSlot(key: string, limit: number): Promise<boolean>;
  releaseSlot(key: string): Promise<void>;

  // ---- events
  subscribe(listener: (event: ClusterEvent) => void): () => void;

  stop(): Promise<void>;
}
