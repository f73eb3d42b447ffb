import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { PeerId, RequestId, RoomName, StateKey, UserId } from '../ids.js';
import { IceServer, JsonValue, PeerDescriptor, PeerLeftReason, RemotePeer, RoomClosedReason } from './shared.js';

/** Server → client messages. */
const answer = { rid: RequestId.optional() };

export const Session = z.object({
  type: z.literal('session'),
  peerId: PeerId,
  userId: UserId,
  /**
   * Present it as `?resume=` on reconnect within `resumeGraceMs` to keep this peer id and its
   * rooms. Add `&received=<n>` (frames received from this session so far, `session` frames not
   * counted) and the server also resends what it wrote to the old connection after those n.
   */
  resumeToken: z.string(),
  resumeGraceMs: z.number().int(),
  /** True when this connection resumed an earlier session (rooms kept, buffered messages follow). */
  resumed: z.boolean(),
  /** Rooms this session is in (non-empty only after a resume). */
  rooms: z.array(RoomName),
  iceServers: z.array(IceServer),
  /** Unix epoch seconds when the TURN credentials in `iceServers` expire. */
  turnExpiresAt: z.number().int(),
});
export const RoomJoined = z.object({
  type: z.literal('room.joined'),
  ...answer,
  room: RoomName,
  self: PeerDescriptor,
  peers: z.array(RemotePeer),
  state: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export const RoomLeft = z.object({ type: z.literal('room.left'), ...answer, room: RoomName });
export const PeerJoined = z.object({ type: z.literal('peer.joined'), room: RoomName, peer: RemotePeer });
export const PeerLeft = z.object({ type: z.literal('peer.left'), room: RoomName, peerId: PeerId, reason: PeerLeftReason });
export const SignalReceive = z.object({ type: z.literal('signal'), room: RoomName, from: PeerId, payload: JsonValue });
export const RoomBroadcastReceive = z.object({ type: z.literal('room.broadcast'), room: RoomName, from: PeerId, data: JsonValue });
export const RoomState = z.object({ type: z.literal('room.state'), room: RoomName, key: StateKey, value: JsonValue, from: PeerId.nullable() });
export const DirectReceive = z.object({ type: z.literal('direct'), fromUser: UserId, fromPeer: PeerId, data: JsonValue });
export const TurnRefresh = z.object({ type: z.literal('turn.refresh'), iceServers: z.array(IceServer), turnExpiresAt: z.number().int() });
export const RoomClosed = z.object({ type: z.literal('room.closed'), room: RoomName, reason: RoomClosedReason });
export const Ack = z.object({ type: z.literal('ack'), rid: RequestId });
export const Pong = z.object({ type: z.literal('pong'), ...answer, serverTimeMs: z.number() });
export const ErrorMessage = z.object({
  type: z.literal('error'),
  ...answer,
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  message: z.string().optional(),
  /** Milliseconds to wait before retrying, for RATE_LIMITED and the like. */
  retryAfterMs: z.number().int().optional(),
});
export const Drain = z.object({ type: z.literal('drain'), reconnectInMs: z.number().int() });

export const ServerMessage = z.discriminatedUnion('type', [
  Session,
  RoomJoined,
  RoomLeft,
  PeerJoined,
  PeerLeft,
  SignalReceive,
  RoomBroadcastReceive,
  RoomState,
  DirectReceive,
  TurnRefresh,
  RoomClosed,
  Ack,
  Pong,
  ErrorMessage,
  Drain,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ServerMessageType = ServerMessage['type'];
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;
