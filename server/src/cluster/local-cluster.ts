import type { PeerLeftReason, RemotePeer, RoomClosedReason, RoomOptions, SignalNode, StatsReport } from '@parley/protocol';
import { RoomRegistry, type JoinRequest, type Room, type RoomDefaults, type RoomMember, type RoomStateLimits } from '../rooms/index.js';
import type { Clock } from '../time/clock.js';
import { peerJoinedFrame, peerLeftFrame, roomClosedFrame, stateFrame } from '../wire/encode.js';
import type { Frame } from '../wire/frame.js';
import type {
  Cluster,
  ClusterEvent,
  CreateRoomOutcome,
  JoinedRoom,
  JoinOutcome,
  NodeHeartbeat,
  PeerEndpoint,
  ResumeRecord,
  RoomView,
  SetStateOutcome,
} from './cluster.js';

export interface LocalClusterOptions {
  nodeId: string;
  clock: Clock;
  roomDefaults: RoomDefaults;
  stateLimits: RoomStateLimits;
}

/**
 * The single-node Cluster: the room directory is this process's RoomRegistry, every peer is
 * local, resume state and counters are maps. Deliveries go straight to the endpoints.
 */
export class LocalCluster implements Cluster {
  readonly kind = 'local' as const;
  readonly nodeId: string;
  private readonly clock: Clock;
  private readonly registry: RoomRegistry;
  private readonly endpoints = new Map<string, PeerEndpoint>();
  /**
   * userId → its peer id, or a Set of them when the user has several sessions here. Most users
   * have one; a Set each would cost ~150 bytes per connection.
   */
  private readonly peersByUser = new Map<string, string | Set<string>>();
  /** Resume token → its record, flattened with its expiry into one object per session. */
  private readonly resume = new Map<string, ResumeRecord & { expiresAtMs: number }>();
  private readonly slots = new Map<string, number>();
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  private self: (NodeHeartbeat & { lastSeenMs: number }) | undefined;

  constructor(options: LocalClusterOptions) {
    this.nodeId = options.nodeId;
    this.clock = options.clock;
    this.registry = new RoomRegistry(options.clock, options.roomDefaults, options.stateLimits, {
      roomStarted: (room) => this.emit({ type: 'room.started', timeMs: this.clock.now(), room: room.name }),
      memberLeft: (room, member, reason) => this.memberLeft(room, member, reason),
      roomFinished: (room, reason, members) => this.roomFinished(room, reason, members),
    });
  }

  // ---- node registry

  async heartbeat(status: NodeHeartbeat): Promise<void> {
    this.self = { ...status, lastSeenMs: this.clock.now() };
  }

  async listNodes(): Promise<SignalNode[]> {
    if (!this.self) return [];
    const { address, version, startedAtMs, lastSeenMs, ready, draining, uwsNative, peers } = this.self;
    return [{ nodeId: this.nodeId, address, version, startedAtMs, lastSeenMs, ready, draining, uwsNative, peers, rooms: this.registry.size }];
  }

  // ---- rooms

  async createRoom(name: string, options: RoomOptions): Promise<CreateRoomOutcome> {
    return this.registry.create(name, options);
  }

  async joinRoom(roomName: string, request: JoinRequest, beforeAnnounce?: (joined: JoinedRoom) => void): Promise<JoinOutcome> {
    const result = this.registry.join(roomName, request);
    if (!result.ok) return result;
    const { member } = result;
    beforeAnnounce?.(result);
    // Everyone already in the room joined earlier, so each of them is polite towards the newcomer.
    const peer: RemotePeer = { peerId: member.peerId as RemotePeer['peerId'], userId: member.userId as RemotePeer['userId'], joinedAtMs: member.joinedAtMs, polite: true };
    if (member.meta) peer.meta = member.meta;
    this.publishToRoom(roomName, peerJoinedFrame(roomName, peer), member.peerId);
    this.emit({ type: 'peer.joined', timeMs: member.joinedAtMs, room: roomName, peerId: member.peerId, userId: member.userId });
    return result;
  }

  async leaveRoom(room: string, peerId: string, reason: PeerLeftReason): Promise<boolean> {
    return this.registry.leave(room, peerId, reason) !== undefined;
  }

  async closeRoom(room: string, reason: RoomClosedReason): Promise<boolean> {
    return this.registry.close(room, reason);
  }

  async setRoomState(roomName: string, fromPeerId: string | null, key: string, value: unknown): Promise<SetStateOutcome> {
    const serialized = JSON.stringify(value);
    const result = this.registry.setState(roomName, fromPeerId, key, value, serialized);
    if (!result.ok) return result;
    this.publishToRoom(roomName, stateFrame(roomName, key, value, fromPeerId));
    return { ok: true };
  }

  recordStats(roomName: string, peerId: string, report: StatsReport, receivedAtMs: number): boolean {
    const member = this.registry.get(roomName)?.members.get(peerId);
    if (!member) return false;
    member.stats = { report, receivedAtMs };
    return true;
  }

  room(name: string): RoomView | undefined {
    return this.registry.get(name);
  }

  rooms(): Iterable<RoomView> {
    return this.registry.all();
  }

  isMember(room: string, peerId: string): boolean {
    return this.registry.get(room)?.members.has(peerId) ?? false;
  }

  // ---- delivery

  sendToPeer(peerId: string, frame: Frame): boolean {
    const endpoint = this.endpoints.get(peerId);
    if (!endpoint) return false;
    endpoint.deliver(frame);
    return true;
  }

  publishToRoom(roomName: string, frame: Frame, exceptPeerId?: string): number {
    const room = this.registry.get(roomName);
    if (!room) return 0;
    let reached = 0;
    for (const peerId of room.members.keys()) {
      if (peerId === exceptPeerId) continue;
      const endpoint = this.endpoints.get(peerId);
      if (!endpoint) continue;
      endpoint.deliver(frame);
      reached++;
    }
    return reached;
  }

  sendToUser(userId: string, frame: Frame, exceptPeerId?: string): number {
    const peers = this.peersByUser.get(userId);
    if (peers === undefined) return 0;
    if (typeof peers === 'string') {
      if (peers === exceptPeerId) return 0;
      this.endpoints.get(peers)?.deliver(frame);
      return 1;
    }
    let reached = 0;
    for (const peerId of peers) {
      if (peerId === exceptPeerId) continue;
      this.endpoints.get(peerId)?.deliver(frame);
      reached++;
    }
    return reached;
  }

  // ---- local peers

  attach(endpoint: PeerEndpoint): void {
    this.endpoints.set(endpoint.peerId, endpoint);
    const peers = this.peersByUser.get(endpoint.userId);
    if (peers === undefined) this.peersByUser.set(endpoint.userId, endpoint.peerId);
    else if (typeof peers !== 'string') peers.add(endpoint.peerId);
    else if (peers !== endpoint.peerId) this.peersByUser.set(endpoint.userId, new Set([peers, endpoint.peerId]));
  }

  detach(peerId: string): void {
    const endpoint = this.endpoints.get(peerId);
    if (!endpoint) return;
    this.endpoints.delete(peerId);
    const peers = this.peersByUser.get(endpoint.userId);
    if (peers === undefined) return;
    if (typeof peers === 'string') {
      if (peers === peerId) this.peersByUser.delete(endpoint.userId);
      return;
    }
    peers.delete(peerId);
    if (peers.size === 1) this.peersByUser.set(endpoint.userId, peers.values().next().value!);
    else if (peers.size === 0) this.peersByUser.delete(endpoint.userId);
  }

  endpoint(peerId: string): PeerEndpoint | undefined {
    return this.endpoints.get(peerId);
  }

  // ---- resume state

  async saveResume(token: string, record: ResumeRecord, ttlMs: number): Promise<void> {
    this.resume.set(token, { peerId: record.peerId, userId: record.userId, nodeId: record.nodeId, expiresAtMs: this.clock.now() + ttlMs });
  }

  async takeResume(token: string): Promise<ResumeRecord | undefined> {
    const entry = this.resume.get(token);
    if (!entry) return undefined;
    this.resume.delete(token);
    return entry.expiresAtMs > this.clock.now() ? { peerId: entry.peerId, userId: entry.userId, nodeId: entry.nodeId } : undefined;
  }

  async dropResume(token: string): Promise<void> {
    this.resume.delete(token);
  }

  // ---- counters

  async acquireSlot(key: string, limit: number): Promise<boolean> {
    const held = this.slots.get(key) ?? 0;
    if (held >= limit) return false;
    this.slots.set(key, held + 1);
    return true;
  }

  async releaseSlot(key: string): Promise<void> {
    const held = (this.slots.get(key) ?? 0) - 1;
    if (held <= 0) this.slots.delete(key);
    else this.slots.set(key, held);
  }

  // ---- events

  subscribe(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.registry.closeAll('drain');
    this.listeners.clear();
  }

  get roomCount(): number {
    return this.registry.size;
  }

  private memberLeft(room: Room, member: RoomMember, reason: PeerLeftReason): void {
    this.publishToRoom(room.name, peerLeftFrame(room.name, member.peerId, reason), member.peerId);
    this.emit({ type: 'peer.left', timeMs: this.clock.now(), room: room.name, peerId: member.peerId, userId: member.userId, reason });
  }

  private roomFinished(room: Room, reason: RoomClosedReason, members: readonly RoomMember[]): void {
    const frame = roomClosedFrame(room.name, reason);
    const timeMs = this.clock.now();
    for (const member of members) {
      const endpoint = this.endpoints.get(member.peerId);
      if (endpoint) {
        endpoint.deliver(frame);
        endpoint.roomClosed(room.name, reason);
      }
      this.emit({ type: 'peer.left', timeMs, room: room.name, peerId: member.peerId, userId: member.userId, reason: 'room_closed' });
    }
    this.emit({ type: 'room.finished', timeMs, room: room.name, reason });
  }

  private emit(event: ClusterEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
