import type { ServerMessageOf } from '@parley/protocol';
import { encode } from '../../wire/encode.js';
import type { Handler } from './handler.js';

/** `room.leave`: the others get `peer.left {reason: 'left'}`, the sender `room.left`. */
export const handleRoomLeave: Handler<'room.leave'> = async (session, message, rid, services) => {
  if (!session.rooms.delete(message.room)) return session.error('NOT_IN_ROOM', rid);
  await services.cluster.leaveRoom(message.room, session.peerId, 'left');
  const reply: ServerMessageOf<'room.left'> = { type: 'room.left', room: message.room };
  if (rid !== undefined) reply.rid = rid;
  session.reply(encode(reply));
};
