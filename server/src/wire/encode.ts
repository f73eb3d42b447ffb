import type { ErrorCode, IceServer, PeerLeftReason, RemotePeer, RequestId, RoomClosedReason, ServerMessage, ServerMessageOf } from '@parley/protocol';
import { ownedAsciiBytes, spliceAfterHead, spliceFrame, utf8Bytes, type Utf8Bytes } from './frame.js';

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
 * The relayed frames below splice in the bytes of the opaque value the client sent (see
 * frame.ts) instead of serializing it again. Room names and peer ids are safe to splice as they
 * are: their patterns (protocol/src/ids.ts) allow only ASCII letters, digits and `._~:-`, so no
 * quotes, backslashes, control characters or multi-byte characters.
 */

/**
 * The bytes of a `signal` frame up to its payload: the same for every signal one peer sends in
 * one room, so a session builds it once and keeps it (PeerSession.signalHead).
 */
export function signalHead(room: string, from: string): Buffer {
  return ownedAsciiBytes('{"type":"signal","room":"' + room + '","from":"' + from + '","payload":');
}

/** `signal` to one peer; `payload` is the bytes of the payload's JSON as the client sent them. */
export function signalFrame(head: Buffer, payload: Utf8Bytes): Buffer {
  return spliceAfterHead(head, payload);
}

/** `room.broadcast`; `data` is the bytes of the data's JSON as the client sent them. */
export function broadcastFrame(room: string, from: string, data: Utf8Bytes): Buffer {
  return spliceFrame('{"type":"room.broadcast","room":"' + room + '","from":"' + from + '","data":', data);
}

export function stateFrame(room: string, key: string, value: unknown, from: string | null): string {
  return JSON.stringify({ type: 'room.state', room, key, value, from });
}

/** `direct`; user ids are free text, so `fromUser` is quoted (and UTF-8 encoded); `data` is the bytes of the data's JSON as the client sent them. */
export function directFrame(fromUser: string, fromPeer: string, data: Utf8Bytes): Buffer {
  return spliceFrame('{"type":"direct","fromUser":' + utf8Bytes(JSON.stringify(fromUser)) + ',"fromPeer":"' + fromPeer + '","data":', data);
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
