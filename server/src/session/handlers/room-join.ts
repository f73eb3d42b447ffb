import { mayJoin, type RemotePeer, type ServerMessageOf } from '@parley/protocol';
import { Room, type RoomMember } from '../../rooms/index.js';
import { encode } from '../../wire/encode.js';
import type { Handler } from './handler.js';

function remotePeer(viewer: RoomMember, other: RoomMember): RemotePeer {
  const peer: RemotePeer = {
    peerId: other.peerId as RemotePeer['peerId'],
    userId: other.userId as RemotePeer['userId'],
    joinedAtMs: other.joinedAtMs,
    polite: Room.isPoliteTowards(viewer, other),
  };
  if (other.meta) peer.meta = other.meta;
  return peer;
}

/** `room.join`: grants, per-session and per-user limits, then the cluster's atomic join. */
export const handleRoomJoin: Handler<'room.join'> = async (session, message, rid, services) => {
  const { room } = message;
  if (services.isDraining()) return session.error('DRAINING', rid);
  if (!mayJoin(session.grants, room)) return session.error('FORBIDDEN', rid, 'the token does not allow this room');
  if (session.rooms.has(room)) return session.error('ALREADY_IN_ROOM', rid);
  if (session.rooms.size >= services.config.session.maxRoomsPerSession) return session.error('TOO_MANY_ROOMS', rid);
  const verdict = session.limits.chargeJoin(services.clock.now());
  if (!verdict.ok) {
    services.metrics.countRateLimited('joins');
    return session.error('RATE_LIMITED', rid, 'too many joins', verdict.retryAfterMs);
  }
  session.rooms.add(room);
  const outcome = await services.cluster.joinRoom(
    room,
    { peerId: session.peerId, userId: session.userId, nodeId: services.cluster.nodeId, meta: message.meta, mayCreate: session.grants.create },
    // Runs before the others hear `peer.joined`, so the joiner always learns of the room first.
    (joined) => {
      const self = joined.member;
      const reply: ServerMessageOf<'room.joined'> = {
        type: 'room.joined',
        room: room,
        self: { peerId: self.peerId as RemotePeer['peerId'], userId: self.userId as RemotePeer['userId'], joinedAtMs: self.joinedAtMs },
        peers: [...joined.room.members.values()].filter((other) => other.peerId !== self.peerId).map((other) => remotePeer(self, other)),
        state: joined.room.stateObject(),
      };
      if (rid !== undefined) reply.rid = rid;
      if (self.meta) reply.self.meta = self.meta;
      if (joined.room.metadata) reply.metadata = joined.room.metadata;
      session.reply(encode(reply));
    },
  );
  if (!outcome.ok) {
    session.rooms.delete(room);
    return session.error(outcome.code, rid);
  }
  services.metrics.joins.inc();
  if (session.state === 'ended') await services.cluster.leaveRoom(room, session.peerId, 'disconnected');
};
