import { z } from 'zod';
import { PeerId, RoomName, UserId } from './ids.js';
import { ConnectionPath, ConnectionStats, PeerMeta, RelayProtocol } from './messages/shared.js';
import { QualityCounts, QualityGrade } from './quality.js';
import { TurnAllocationStatus } from './turn.js';

/**
 * The admin API (`/v1/admin/*`, admin grant required). The dashboard reads only this; every shape
 * here is validated by the server on the way in and by the dashboard on the way out.
 */

export const RoomOptions = z.strictObject({
  maxPeers: z.number().int().min(1).max(10_000).optional(),
  /** Close the room if nobody joins within this many seconds of creation. */
  emptyTimeoutSeconds: z.number().int().min(1).max(86_400).optional(),
  /** Close the room this many seconds after the last peer left. */
  departureTimeoutSeconds: z.number().int().min(0).max(86_400).optional(),
  /** Close the room this many seconds after creation, whoever is in it. */
  maxDurationSeconds: z.number().int().min(1).max(7 * 86_400).optional(),
  metadata: z.record(z.string().max(64), z.unknown()).optional(),
});
export type RoomOptions = z.infer<typeof RoomOptions>;

export const CreateRoomRequest = RoomOptions.extend({ name: RoomName });
export type CreateRoomRequest = z.infer<typeof CreateRoomRequest>;

/** Quality of one peer, aggregated from its latest `stats` report. */
export const PeerQuality = z.object({
  grade: QualityGrade,
  path: ConnectionPath,
  relayProtocol: RelayProtocol.optional(),
  rttMs: z.number().optional(),
  lossRatio: z.number().optional(),
  jitterMs: z.number().optional(),
  bitrateInBps: z.number().optional(),
  bitrateOutBps: z.number().optional(),
  updatedAtMs: z.number().optional(),
  connections: z.array(ConnectionStats),
});
export type PeerQuality = z.infer<typeof PeerQuality>;

export const AdminPeer = z.object({
  peerId: PeerId,
  userId: UserId,
  nodeId: z.string(),
  meta: PeerMeta.optional(),
  joinedAtMs: z.number(),
  connectedSinceMs: z.number(),
  /** False while the peer is within its resume grace period after a disconnect. */
  connected: z.boolean(),
  quality: PeerQuality,
});
export type AdminPeer = z.infer<typeof AdminPeer>;

export const RoomSummary = z.object({
  name: RoomName,
  createdAtMs: z.number(),
  peerCount: z.number().int(),
  maxPeers: z.number().int(),
  relayedPeerCount: z.number().int(),
  quality: QualityCounts,
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type RoomSummary = z.infer<typeof RoomSummary>;

export const RoomDetail = RoomSummary.extend({
  options: z.object({
    emptyTimeoutSeconds: z.number().int(),
    departureTimeoutSeconds: z.number().int(),
    maxDurationSeconds: z.number().int().nullable(),
  }),
  /** Unix epoch ms when a pending timeout will close the room, if one is armed. */
  closesAtMs: z.number().nullable(),
  state: z.record(z.string(), z.unknown()),
  peers: z.array(AdminPeer),
});
export type RoomDetail = z.infer<typeof RoomDetail>;

export const RoomSortKey = z.enum(['name', 'peers', 'createdAt', 'quality']);
export const ListRoomsQuery = z.strictObject({
  /** Case-insensitive substring of the room name. */
  q: z.string().max(128).optional(),
  sort: RoomSortKey.default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListRoomsQuery = z.infer<typeof ListRoomsQuery>;

export const ListRoomsResponse = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  rooms: z.array(RoomSummary),
});
export type ListRoomsResponse = z.infer<typeof ListRoomsResponse>;

export const Overview = z.object({
  nodeId: z.string(),
  timeMs: z.number(),
  peers: z.number().int(),
  rooms: z.number().int(),
  messagesPerSecond: z.number(),
  turn: z.object({
    nodes: z.number().int(),
    allocations: z.number().int(),
    relayBytesToPeersPerSecond: z.number(),
    relayBytesFromPeersPerSecond: z.number(),
  }),
  quality: QualityCounts,
});
export type Overview = z.infer<typeof Overview>;

/** One sample of the in-memory history, so charts work without Prometheus. */
export const HistoryPoint = z.object({
  timeMs: z.number(),
  peers: z.number().int(),
  rooms: z.number().int(),
  messagesPerSecond: z.number(),
  turnAllocations: z.number().int(),
  relayBytesToPeersPerSecond: z.number(),
  relayBytesFromPeersPerSecond: z.number(),
  quality: QualityCounts,
});
export type HistoryPoint = z.infer<typeof HistoryPoint>;

export const HistoryResponse = z.object({
  intervalSeconds: z.number().int(),
  points: z.array(HistoryPoint),
});
export type HistoryResponse = z.infer<typeof HistoryResponse>;

export const SignalNode = z.object({
  nodeId: z.string(),
  version: z.string(),
  address: z.string(),
  startedAtMs: z.number(),
  lastSeenMs: z.number(),
  ready: z.boolean(),
  draining: z.boolean(),
  /** False when the uWebSockets.js native binary did not load (never the case in a healthy node). */
  uwsNative: z.boolean(),
  peers: z.number().int(),
  rooms: z.number().int(),
});
export type SignalNode = z.infer<typeof SignalNode>;

export const NodesResponse = z.object({ nodes: z.array(SignalNode) });
export type NodesResponse = z.infer<typeof NodesResponse>;

export const TurnNodeSummary = z.object({
  nodeId: z.string(),
  /** The status URL the signal server polls. */
  statusUrl: z.string(),
  healthy: z.boolean(),
  error: z.string().optional(),
  version: z.string().optional(),
  lastSeenMs: z.number().nullable(),
  allocations: z.number().int(),
  relayBytesToPeersPerSecond: z.number(),
  relayBytesFromPeersPerSecond: z.number(),
});
export type TurnNodeSummary = z.infer<typeof TurnNodeSummary>;

export const UsageEntry = z.object({ key: z.string(), relayBytes: z.number(), allocations: z.number().int() });

export const TurnResponse = z.object({
  nodes: z.array(TurnNodeSummary),
  allocations: z.array(TurnAllocationStatus.extend({ nodeId: z.string() })),
  topUsers: z.array(UsageEntry),
  topRooms: z.array(UsageEntry),
});
export type TurnResponse = z.infer<typeof TurnResponse>;

export const WhoAmI = z.object({ userId: UserId, admin: z.literal(true), expiresAt: z.number().int() });
export type WhoAmI = z.infer<typeof WhoAmI>;

/** Events on the live stream `GET /v1/admin/events` (server-sent events, one JSON per `data:`). */
export const AdminEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('room.started'), timeMs: z.number(), room: RoomName }),
  z.object({ type: z.literal('room.finished'), timeMs: z.number(), room: RoomName, reason: z.string() }),
  z.object({ type: z.literal('peer.joined'), timeMs: z.number(), room: RoomName, peerId: PeerId, userId: UserId }),
  z.object({ type: z.literal('peer.left'), timeMs: z.number(), room: RoomName, peerId: PeerId, userId: UserId, reason: z.string() }),
  z.object({ type: z.literal('overview'), timeMs: z.number(), overview: Overview }),
]);
export type AdminEvent = z.infer<typeof AdminEvent>;

/** The JSON body of every HTTP error. */
export const HttpError = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });
export type HttpError = z.infer<typeof HttpError>;
