import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The benchmark's baseline: the broker most people would write first, on the `ws` library. It
 * speaks the subset of Parley's protocol the signaling benchmark uses (session, room.join,
 * room.leave, signal, ping) and relays the way the issue asks: parse the JSON, look up the target,
 * forward the payload with `from`. No auth, no schema validation, no limits, no metrics: every
 * shortcut favours the baseline, so a ratio against it understates Parley's advantage.
 */
interface Connection {
  readonly socket: WebSocket;
  readonly peerId: string;
  readonly rooms: Set<string>;
}

interface Member {
  readonly connection: Connection;
  readonly joinedAtMs: number;
}

export interface WsBaselineBroker {
  readonly port: number;
  readonly connections: number;
  stop(): Promise<void>;
}

const MAX_PAYLOAD_BYTES = 64 * 1024;

export async function startWsBaselineBroker(options: { host?: string; port?: number } = {}): Promise<WsBaselineBroker> {
  const rooms = new Map<string, Map<string, Member>>();
  const connections = new Set<Connection>();
  const http: Server = createServer((_request, response) => {
    response.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server: http, path: '/v1/ws', maxPayload: MAX_PAYLOAD_BYTES, perMessageDeflate: false });

  const send = (connection: Connection, message: unknown) => connection.socket.send(JSON.stringify(message));
  const fail = (connection: Connection, code: string, rid: unknown) => send(connection, { type: 'error', code, ...(rid === undefined ? {} : { rid }) });

  const leave = (connection: Connection, room: string, reason: 'left' | 'disconnected') => {
    const members = rooms.get(room);
    if (!members?.delete(connection.peerId)) return;
    connection.rooms.delete(room);
    if (members.size === 0) rooms.delete(room);
    const notice = JSON.stringify({ type: 'peer.left', room, peerId: connection.peerId, reason });
    for (const member of members.values()) member.connection.socket.send(notice);
  };

  wss.on('connection', (socket) => {
    const peerId = randomBytes(12).toString('base64url');
    const connection: Connection = { socket, peerId, rooms: new Set() };
    connections.add(connection);
    send(connection, {
      type: 'session',
      peerId,
      userId: peerId,
      resumeToken: '',
      resumeGraceMs: 0,
      resumed: false,
      rooms: [],
      iceServers: [],
      turnExpiresAt: 0,
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary) return fail(connection, 'BINARY_NOT_SUPPORTED', undefined);
      let message: { type?: unknown; rid?: unknown; room?: unknown; to?: unknown; payload?: unknown };
      try {
        message = JSON.parse(data.toString());
      } catch {
        return fail(connection, 'MALFORMED_JSON', undefined);
      }
      const { rid, room } = message;
      switch (message.type) {
        case 'signal': {
          const target = typeof room === 'string' && typeof message.to === 'string' ? rooms.get(room)?.get(message.to) : undefined;
          if (!target || !connection.rooms.has(room as string)) return fail(connection, 'PEER_NOT_FOUND', rid);
          target.connection.socket.send(JSON.stringify({ type: 'signal', room, from: peerId, payload: message.payload }));
          return;
        }
        case 'room.join': {
          if (typeof room !== 'string' || room.length === 0) return fail(connection, 'INVALID_MESSAGE', rid);
          if (connection.rooms.has(room)) return fail(connection, 'ALREADY_IN_ROOM', rid);
          let members = rooms.get(room);
          if (!members) rooms.set(room, (members = new Map()));
          const joinedAtMs = Date.now();
          // The later joiner is the impolite side of perfect negotiation towards everyone present.
          const peers = [...members.values()].map((member) => ({
            peerId: member.connection.peerId,
            userId: member.connection.peerId,
            joinedAtMs: member.joinedAtMs,
            polite: false,
          }));
          const notice = JSON.stringify({ type: 'peer.joined', room, peer: { peerId, userId: peerId, joinedAtMs, polite: true } });
          for (const member of members.values()) member.connection.socket.send(notice);
          members.set(peerId, { connection, joinedAtMs });
          connection.rooms.add(room);
          send(connection, { type: 'room.joined', rid, room, self: { peerId, userId: peerId, joinedAtMs }, peers, state: {} });
          return;
        }
        case 'room.leave':
          if (typeof room !== 'string' || !connection.rooms.has(room)) return fail(connection, 'NOT_IN_ROOM', rid);
          leave(connection, room, 'left');
          send(connection, { type: 'room.left', rid, room });
          return;
        case 'ping':
          send(connection, { type: 'pong', rid, serverTimeMs: Date.now() });
          return;
        default:
          fail(connection, 'UNKNOWN_TYPE', rid);
      }
    });
    socket.on('close', () => {
      connections.delete(connection);
      for (const room of [...connection.rooms]) leave(connection, room, 'disconnected');
    });
    socket.on('error', () => {});
  });

  await new Promise<void>((resolve) => http.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    get connections() {
      return connections.size;
    },
    stop: async () => {
      for (const connection of connections) connection.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
