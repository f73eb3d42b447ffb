import { broadcastFrame } from '../../wire/encode.js';
import type { Handler } from './handler.js';

/** `room.broadcast`: to every other member, serialized once. Needs the broadcast grant. */
export const handleRoomBroadcast: Handler<'room.broadcast'> = (session, message, rid, services, opaque) => {
  if (!session.rooms.has(message.room)) return session.error('NOT_IN_ROOM', rid);
  if (!session.grants.broadcast) return session.error('FORBIDDEN', rid, 'the token has no broadcast grant');
  services.cluster.publishToRoom(message.room, broadcastFrame(message.room, session.peerId, opaque), session.peerId);
  session.ack(rid);
};
