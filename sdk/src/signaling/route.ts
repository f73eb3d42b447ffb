import type { ServerMessage, ServerMessageType } from '@parley/protocol';

/**
 * Where an incoming server message goes. The client answers pending requests first (a frame with
 * a `rid` we are waiting for), then hands room-scoped messages to their room, and keeps the rest
 * (session, TURN refresh, drain, direct messages, stray errors) for itself.
 */
export type Route =
  | { to: 'request'; rid: string | number }
  | { to: 'room'; room: string }
  | { to: 'client' }
  | { to: 'ignore'; why: string };

const ROOM_SCOPED: ReadonlySet<ServerMessageType> = new Set<ServerMessageType>([
  'room.joined',
  'room.left',
  'peer.joined',
  'peer.left',
  'signal',
  'room.broadcast',
  'room.state',
  'room.closed',
]);

const CLIENT_SCOPED: ReadonlySet<ServerMessageType> = new Set<ServerMessageType>(['session', 'turn.refresh', 'drain', 'direct', 'error', 'pong', 'ack']);

export function routeServerMessage(message: ServerMessage, isPending: (rid: string | number) => boolean): Route {
  const rid = 'rid' in message ? message.rid : undefined;
  if (rid !== undefined && isPending(rid)) return { to: 'request', rid };
  if (ROOM_SCOPED.has(message.type) && 'room' in message) return { to: 'room', room: message.room };
  if (CLIENT_SCOPED.has(message.type)) return { to: 'client' };
  return { to: 'ignore', why: `unexpected ${message.type}` };
}

/**
 * Parses one text frame. The server is trusted to speak the protocol, so this checks only what
 * routing relies on (an object with a string `type`) instead of shipping the zod schemas to every
 * browser; unknown types from a newer server are ignored rather than fatal.
 */
export function parseServerFrame(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string') return null;
  return value as ServerMessage;
}
