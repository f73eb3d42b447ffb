import { randomBytes } from 'node:crypto';
import uWS from 'uWebSockets.js';
import { uwsIsNative } from './uws-echo.js';

/**
 * The floor of any broker that relays on uWebSockets.js: the protocol subset of ws-baseline.ts
 * (session, room.join, room.leave, signal, ping), with the `signal` relay done as cheaply as
 * uWS.js allows. The target and room are found by position in the SDK's fixed layout, the
 * payload's bytes are forwarded unread (no JSON check, so a client could inject keys: never do
 * this in a real broker), and each receiving socket's frames of one event-loop iteration leave
 * in one corked write, as Parley's do. No auth, limits, resume, metrics or validation.
 *
 * It answers a question the ratio against the ws baseline cannot: how much of Parley's CPU per
 * message is uWS.js's own receive-callback-send path for a relay (a frame in on one socket, out
 * on another), which no broker code can remove.
 */
export interface UwsRelayServer {
  readonly port: number;
  stop(): void;
}

interface Connection {
  peerId: string;
  peerIdBytes: Buffer;
  rooms: Set<string>;
  socket: uWS.WebSocket<Connection> | undefined;
  pending: Buffer[];
  scheduled: boolean;
}

const SIGNAL_HEAD = Buffer.from('{"type":"signal","room":"');
const TO_KEY = Buffer.from('","to":"');
const PAYLOAD_KEY = Buffer.from('","payload":');
const FROM_KEY = Buffer.from('","from":"');
const QUOTE = 0x22;

export function startUwsRelay(options: { host?: string; port?: number } = {}): Promise<UwsRelayServer> {
  if (!uwsIsNative()) throw new Error('the uWebSockets.js native binary did not load; the relay floor would measure its fallback');
  const rooms = new Map<string, Map<string, Connection>>();
  const sockets = new Set<uWS.WebSocket<Connection>>();
  const awaitingFlush: Connection[] = [];
  let flushScheduled = false;

  const flushAll = () => {
    flushScheduled = false;
    for (const connection of awaitingFlush) {
      connection.scheduled = false;
      const frames = connection.pending;
      connection.pending = [];
      const socket = connection.socket;
      if (!socket) continue;
      socket.cork(() => {
        for (const frame of frames) socket.send(frame, false, false);
      });
    }
    awaitingFlush.length = 0;
  };

  const queue = (connection: Connection, frame: Buffer | string) => {
    connection.pending.push(typeof frame === 'string' ? Buffer.from(frame) : frame);
    if (connection.scheduled) return;
    connection.scheduled = true;
    awaitingFlush.push(connection);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushAll);
    }
  };

  const leave = (connection: Connection, room: string, reason: 'left' | 'disconnected') => {
    const members = rooms.get(room);
    if (!members?.delete(connection.peerId)) return;
    connection.rooms.delete(room);
    if (members.size === 0) rooms.delete(room);
    const notice = JSON.stringify({ type: 'peer.left', room, peerId: connection.peerId, reason });
    for (const member of members.values()) queue(member, notice);
  };

  /** `{"type":"signal","room":"R","to":"T","payload":P}` → `{"type":"signal","room":"R","from":"F","payload":P}`. */
  const relaySignal = (connection: Connection, bytes: Buffer): boolean => {
    const roomStart = SIGNAL_HEAD.length;
    const roomEnd = bytes.indexOf(QUOTE, roomStart);
    if (roomEnd < 0 || bytes.compare(TO_KEY, 0, TO_KEY.length, roomEnd, roomEnd + TO_KEY.length) !== 0) return false;
    const toStart = roomEnd + TO_KEY.length;
    const toEnd = bytes.indexOf(QUOTE, toStart);
    if (toEnd < 0 || bytes.compare(PAYLOAD_KEY, 0, PAYLOAD_KEY.length, toEnd, toEnd + PAYLOAD_KEY.length) !== 0) return false;
    const room = bytes.toString('latin1', roomStart, roomEnd);
    const target = connection.rooms.has(room) ? rooms.get(room)?.get(bytes.toString('latin1', toStart, toEnd)) : undefined;
    if (!target) return false;
    const payloadStart = toEnd + PAYLOAD_KEY.length;
    const out = Buffer.allocUnsafe(roomEnd + FROM_KEY.length + connection.peerIdBytes.length + PAYLOAD_KEY.length + (bytes.length - payloadStart));
    let at = bytes.copy(out, 0, 0, roomEnd);
    at += FROM_KEY.copy(out, at);
    at += connection.peerIdBytes.copy(out, at);
    at += PAYLOAD_KEY.copy(out, at);
    bytes.copy(out, at, payloadStart);
    queue(target, out);
    return true;
  };

  const onOther = (connection: Connection, text: string) => {
    let message: { type?: unknown; rid?: unknown; room?: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      return queue(connection, JSON.stringify({ type: 'error', code: 'MALFORMED_JSON' }));
    }
    const { rid, room } = message;
    const peerId = connection.peerId;
    switch (message.type) {
      case 'room.join': {
        if (typeof room !== 'string' || room.length === 0 || connection.rooms.has(room)) return queue(connection, JSON.stringify({ type: 'error', code: 'INVALID_MESSAGE', rid }));
        let members = rooms.get(room);
        if (!members) rooms.set(room, (members = new Map()));
        const joinedAtMs = Date.now();
        const peers = [...members.values()].map((member) => ({ peerId: member.peerId, userId: member.peerId, joinedAtMs, polite: false }));
        const notice = JSON.stringify({ type: 'peer.joined', room, peer: { peerId, userId: peerId, joinedAtMs, polite: true } });
        for (const member of members.values()) queue(member, notice);
        members.set(peerId, connection);
        connection.rooms.add(room);
        return queue(connection, JSON.stringify({ type: 'room.joined', rid, room, self: { peerId, userId: peerId, joinedAtMs }, peers, state: {} }));
      }
      case 'room.leave':
        if (typeof room !== 'string' || !connection.rooms.has(room)) return queue(connection, JSON.stringify({ type: 'error', code: 'NOT_IN_ROOM', rid }));
        leave(connection, room, 'left');
        return queue(connection, JSON.stringify({ type: 'room.left', rid, room }));
      case 'ping':
        return queue(connection, JSON.stringify({ type: 'pong', rid, serverTimeMs: Date.now() }));
      default:
        return queue(connection, JSON.stringify({ type: 'error', code: 'UNKNOWN_TYPE', rid }));
    }
  };

  const app = uWS.App().ws<Connection>('/v1/ws', {
    compression: uWS.DISABLED,
    maxPayloadLength: 64 * 1024,
    maxBackpressure: 16 * 1024 * 1024,
    idleTimeout: 0,
    upgrade: (res, req, context) => {
      const peerId = `p_${randomBytes(9).toString('base64url')}`;
      const connection: Connection = { peerId, peerIdBytes: Buffer.from(peerId), rooms: new Set(), socket: undefined, pending: [], scheduled: false };
      res.upgrade(connection, req.getHeader('sec-websocket-key'), req.getHeader('sec-websocket-protocol'), req.getHeader('sec-websocket-extensions'), context);
    },
    open: (socket) => {
      const connection = socket.getUserData();
      connection.socket = socket;
      sockets.add(socket);
      const { peerId } = connection;
      queue(connection, JSON.stringify({ type: 'session', peerId, userId: peerId, resumeToken: '', resumeGraceMs: 0, resumed: false, rooms: [], iceServers: [], turnExpiresAt: 0 }));
    },
    message: (socket, message, isBinary) => {
      const connection = socket.getUserData();
      if (isBinary) return;
      const bytes = Buffer.from(message);
      if (bytes.length > SIGNAL_HEAD.length && bytes.compare(SIGNAL_HEAD, 0, SIGNAL_HEAD.length, 0, SIGNAL_HEAD.length) === 0) {
        if (relaySignal(connection, bytes)) return;
        return queue(connection, JSON.stringify({ type: 'error', code: 'PEER_NOT_FOUND' }));
      }
      onOther(connection, bytes.toString());
    },
    close: (socket) => {
      const connection = socket.getUserData();
      connection.socket = undefined;
      sockets.delete(socket);
      for (const room of [...connection.rooms]) leave(connection, room, 'disconnected');
    },
  });
  return new Promise((resolve, reject) => {
    app.listen(options.host ?? '127.0.0.1', options.port ?? 0, (listenSocket) => {
      if (listenSocket === false) return reject(new Error('the relay floor server could not listen'));
      resolve({
        port: uWS.us_socket_local_port(listenSocket),
        stop: () => {
          uWS.us_listen_socket_close(listenSocket);
          for (const socket of [...sockets]) socket.close();
        },
      });
    });
  });
}
