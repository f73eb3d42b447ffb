import { z } from 'zod';
import { PeerId, RequestId, RoomName, StateKey, UserId } from '../ids.js';
import { JsonValue, PeerMeta, StatsReport } from './shared.js';

/**
 * Client → server messages. One JSON object per text frame, discriminated on `type`.
 * A message that carries `rid` gets exactly one answer echoing it: its natural reply
 * (`room.joined`, `room.left`, `pong`), an `ack`, or an `error`.
 */
const request = { rid: RequestId.optional() };

export const RoomJoin = z.strictObject({ type: z.literal('room.join'), ...request, room: RoomName, meta: PeerMeta.optional() });
export const RoomLeave = z.strictObject({ type: z.literal('room.leave'), ...request, room: RoomName });
/** SDP offer/answer/candidate/restart to one peer; the payload is opaque to the server. */
export const SignalSend = z.strictObject({ type: z.literal('signal'), ...request, room: RoomName, to: PeerId, payload: JsonValue });
export const RoomBroadcastSend = z.strictObject({ type: z.literal('room.broadcast'), ...request, room: RoomName, data: JsonValue });
/** Sets one key of the shared room state; `value: null` deletes it. */
export const RoomStateSet = z.strictObject({ type: z.literal('room.state.set'), ...request, room: RoomName, key: StateKey, value: JsonValue });
/** A user-addressed message (call invitation, contact request): reaches every session of that user. */
export const DirectSend = z.strictObject({ type: z.literal('direct'), ...request, toUser: UserId, data: JsonValue });
export const StatsSend = z.strictObject({ type: z.literal('stats'), ...request, room: RoomName, report: StatsReport });
export const Ping = z.strictObject({ type: z.literal('ping'), ...request });

export const ClientMessage = z.discriminatedUnion('type', [
  RoomJoin,
  RoomLeave,
  SignalSend,
  RoomBroadcastSend,
  RoomStateSet,
  DirectSend,
  StatsSend,
  Ping,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage['type'];
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;

/** The schema for each client message type, for dispatch tables. */
export const CLIENT_MESSAGE_SCHEMAS = {
  'room.join': RoomJoin,
  'room.leave': RoomLeave,
  signal: SignalSend,
  'room.broadcast': RoomBroadcastSend,
  'room.state.set': RoomStateSet,
  direct: DirectSend,
  stats: StatsSend,
  ping: Ping,
} as const satisfies { [T in ClientMessageType]: z.ZodType<ClientMessageOf<T>> };

export const CLIENT_MESSAGE_TYPES = Object.keys(CLIENT_MESSAGE_SCHEMAS) as ClientMessageType[];
