import type {
  AdminPeer,
  CreateRoomRequest,
  HistoryPoint,
  ListRoomsQuery,
  ListRoomsResponse,
  NodesResponse,
  Overview,
  QualityCounts,
  RoomDetail,
  RoomSummary,
  TurnResponse,
} from '@parley/protocol';
import type { Cluster, RoomView } from '../cluster/index.js';
import type { RoomGaugeSnapshot } from '../observability/index.js';
import { emptyQualityCounts, summarizeQuality } from '../rooms/index.js';
import type { SessionManager } from '../session/index.js';
import type { Clock } from '../time/clock.js';
import type { RateMeter } from './rate-meter.js';
import type { TurnPoller } from './turn-poller.js';

export type KickOutcome = { ok: true } | { ok: false; code: 'ROOM_NOT_FOUND' | 'PEER_NOT_FOUND' };

/** Higher = worse; rooms sort by the share of their peers with poor or fair quality. */
function qualityScore(counts: QualityCounts): number {
  const total = counts.good + counts.fair + counts.poor + counts.unknown;
  return total === 0 ? 0 : (counts.poor * 2 + counts.fair) / total;
}

/**
 * The admin API's read and write model over the cluster, the sessions, the TURN poller and the
 * history: turns live state into the shapes of protocol/src/admin.ts.
 */
export class AdminService {
  constructor(
    private readonly deps: {
      nodeId: string;
      clock: Clock;
      cluster: Cluster;
      sessions: SessionManager;
      messages: RateMeter;
      turn: TurnPoller;
    },
  ) {}

  listRooms(query: ListRoomsQuery): ListRoomsResponse {
    const needle = query.q?.toLowerCase();
    const all: RoomSummary[] = [];
    for (const room of this.deps.cluster.rooms()) {
      if (needle && !room.name.toLowerCase().includes(needle)) continue;
      all.push(this.summary(room));
    }
    const direction = query.order === 'asc' ? 1 : -1;
    const key: Record<ListRoomsQuery['sort'], (room: RoomSummary) => number | string> = {
      name: (room) => room.name,
      peers: (room) => room.peerCount,
      createdAt: (room) => room.createdAtMs,
      quality: (room) => qualityScore(room.quality),
    };
    const sortKey = key[query.sort];
    all.sort((a, b) => {
      const left = sortKey(a);
      const right = sortKey(b);
      const primary = left < right ? -1 : left > right ? 1 : 0;
      return primary !== 0 ? primary * direction : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    return { total: all.length, offset: query.offset, limit: query.limit, rooms: all.slice(query.offset, query.offset + query.limit) };
  }

  roomDetail(name: string): RoomDetail | undefined {
    const room = this.deps.cluster.room(name);
    if (!room) return undefined;
    return {
      ...this.summary(room),
      options: {
        emptyTimeoutSeconds: room.options.emptyTimeoutSeconds,
        departureTimeoutSeconds: room.options.departureTimeoutSeconds,
        maxDurationSeconds: room.options.maxDurationSeconds,
      },
      closesAtMs: room.closesAtMs(),
      state: room.stateObject(),
      peers: this.peers(room),
    };
  }

  async createRoom(request: CreateRoomRequest): Promise<RoomDetail | undefined> {
    const { name, ...options } = request;
    const outcome = await this.deps.cluster.createRoom(name, options);
    return outcome.ok ? this.roomDetail(name) : undefined;
  }

  closeRoom(name: string): Promise<boolean> {
    return this.deps.cluster.closeRoom(name, 'admin');
  }

  /**
   * Removes a peer: its session ends with KICKED (close 4440), its rooms hear `peer.left
   * {reason: 'kicked'}`, and its TURN credentials are revoked on the TURN nodes.
   */
  async kick(roomName: string, peerId: string): Promise<KickOutcome> {
    const room = this.deps.cluster.room(roomName);
    if (!room) return { ok: false, code: 'ROOM_NOT_FOUND' };
    if (!room.members.has(peerId)) return { ok: false, code: 'PEER_NOT_FOUND' };
    const session = this.deps.sessions.kick(peerId);
    if (!session) {
      // A member without a local session (another node's, or stale): remove it from the room.
      await this.deps.cluster.leaveRoom(roomName, peerId, 'kicked');
      return { ok: true };
    }
    if (this.deps.turn.configured && session.turnUsernames.length > 0) {
      const untilSeconds = Math.floor(this.deps.clock.now() / 1000) + 86_400;
      for (const username of session.turnUsernames) void this.deps.turn.revoke({ username, untilSeconds });
    }
    return { ok: true };
  }

  overview(): Overview {
    const rooms = this.roomGauges();
    const turn = this.deps.turn.totals();
    return {
      nodeId: this.deps.nodeId,
      timeMs: this.deps.clock.now(),
      peers: this.deps.sessions.size,
      rooms: rooms.rooms,
      messagesPerSecond: this.deps.messages.perSecond(),
      turn: {
        nodes: turn.nodes,
        allocations: turn.allocations,
        relayBytesToPeersPerSecond: turn.toPeersPerSecond,
        relayBytesFromPeersPerSecond: turn.fromPeersPerSecond,
      },
      quality: rooms.grades,
    };
  }

  historySample(): Omit<HistoryPoint, 'timeMs'> {
    const overview = this.overview();
    return {
      peers: overview.peers,
      rooms: overview.rooms,
      messagesPerSecond: overview.messagesPerSecond,
      turnAllocations: overview.turn.allocations,
      relayBytesToPeersPerSecond: overview.turn.relayBytesToPeersPerSecond,
      relayBytesFromPeersPerSecond: overview.turn.relayBytesFromPeersPerSecond,
      quality: overview.quality,
    };
  }

  async nodes(): Promise<NodesResponse> {
    return { nodes: await this.deps.cluster.listNodes() };
  }

  turn(): TurnResponse {
    return this.deps.turn.view();
  }

  /** Rooms, peers in rooms, and peers by path and quality grade (for gauges and the overview). */
  roomGauges(): RoomGaugeSnapshot {
    const snapshot: RoomGaugeSnapshot = { rooms: 0, peers: 0, paths: { direct: 0, relay: 0, unknown: 0 }, grades: emptyQualityCounts() };
    for (const room of this.deps.cluster.rooms()) {
      snapshot.rooms++;
      for (const member of room.members.values()) {
        snapshot.peers++;
        const quality = summarizeQuality(member.stats);
        snapshot.paths[quality.path]++;
        snapshot.grades[quality.grade]++;
      }
    }
    return snapshot;
  }

  private summary(room: RoomView): RoomSummary {
    const quality = emptyQualityCounts();
    let relayed = 0;
    for (const member of room.members.values()) {
      const peerQuality = summarizeQuality(member.stats);
      quality[peerQuality.grade]++;
      if (peerQuality.path === 'relay') relayed++;
    }
    const summary: RoomSummary = {
      name: room.name as RoomSummary['name'],
      createdAtMs: room.createdAtMs,
      peerCount: room.members.size,
      maxPeers: room.options.maxPeers,
      relayedPeerCount: relayed,
      quality,
    };
    if (room.metadata) summary.metadata = room.metadata;
    return summary;
  }

  private peers(room: RoomView): AdminPeer[] {
    return [...room.members.values()].map((member) => {
      const session = this.deps.sessions.session(member.peerId);
      const peer: AdminPeer = {
        peerId: member.peerId as AdminPeer['peerId'],
        userId: member.userId as AdminPeer['userId'],
        nodeId: member.nodeId,
        joinedAtMs: member.joinedAtMs,
        connectedSinceMs: session?.connectedSinceMs ?? member.joinedAtMs,
        connected: session ? session.state === 'connected' : true,
        quality: summarizeQuality(member.stats),
      };
      if (member.meta) peer.meta = member.meta;
      return peer;
    });
  }
}
