import type { ErrorCode, IceServer, PeerLeftReason, RemotePeer, RequestId, RoomClosedReason, ServerMessage, ServerMessageOf } from '@parley/protocol';

/**
 * Serializers of server → client frames. Each frame is built once and the same string goes to
 * every recipient of a fan-out. Optional `rid` fields are left out when absent.
 */
export function encode(message: ServerMessage): string {
  return JSON.stringify(message);
}

export function errorFrame(code: ErrorCode, rid: RequestId | undefined, message?: string, retryAfterMs?: number): string {
  const frame: ServerMessageOf<'error'> = { type: 'error', code };
  if (rid !== undefined) frame.rid = rid;
  if (message !== undefined) frame.message = message;
  if (retryAfterMs !== undefined) frame.retryAfterMs = retryAfterMs;
  return JSON.stringify(frame);
}

export function ackFrame(rid: RequestId): string {
  return JSON.stringify({ type: 'ack', rid });
}

/*
 * The relayed frames below splice in the client's own JSON text of the opaque value (see
 * json-scan.ts) instead of serializing it again. Room names and peer ids are safe to splice
 * as they are: their patterns (protocol/src/ids.ts) exclude quotes, backslashes and control
 * characters.
 */

/** `signal` to one peer; `payloadJson` is the raw JSON text of the payload. */
export function signalFrame(room: string, from: string, payloadJson: string): string {
  return '{"type":"signal","room":"' + room + '","from":"' + from + '","payload":' + payloadJson + '}';
}

/** `room.broadcast`; `dataJson` is the raw JSON text of the data. */
export function broadcastFrame(room: string, from: string, dataJson: string): string {
  return '{"type":"room.broadcast","room":"' + room + '","from":"' + from + '","data":' + dataJson + '}';
}

export function stateFrame(room: string, key: string, value: unknown, from: string | null): string {
  return JSON.stringify({ type: 'room.state', room, key, value, from });
}

/** `direct`; user ids are free text, so `fromUser` is quoted; `dataJson` is the raw JSON text of the data. */
export function directFrame(fromUser: string, fromPeer: string, dataJson: string): string {
  return '{"type":"direct","fromUser":' + JSON.stringify(fromUser) + ',"fromPeer":"' + fromPeer + '","data":' + dataJson + '}';
}

export function peerJoinedFrame(room: string, peer: RemotePeer): string {
  return JSON.stringify({ type: 'peer.joined', room, peer });
}

export function peerLeftFrame(room: string, peerId: string, reason: PeerLeftReason): string {
  return JSON.stringify({ type: 'peer.left', room, peerId, reason });
}

export function roomClosedFrame(room: string, reason: RoomClosedReason): string {
  return JSON.stringify({ type: 'room.closed', room, reason });
}

export function turnRefreshFrame(iceServers: IceServer[], turnExpiresAt: number): string {
  return JSON.stringify({ type: 'turn.refresh', iceServers, turnExpiresAt });
}

export function drainFrame(reconnectInMs: number): string {
  return JSON.stringify({ type: 'drain', reconnectInMs });
}
