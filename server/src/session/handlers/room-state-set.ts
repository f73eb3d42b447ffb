import type { Handler } from './handler.js';

/** `room.state.set`: one key of the shared room state; every member, sender included, gets `room.state`. */
export const handleRoomStateSet: Handler<'room.state.set'> = async (session, message, rid, services) => {
  if (!session.rooms.has(message.room)) return session.error('NOT_IN_ROOM', rid);
  if (!session.grants.broadcast) return session.error('FORBIDDEN', rid, 'the token has no broadcast grant');
  const outcome = await services.cluster.setRoomState(message.room, session.peerId, message.key, message.value);
  if (!outcome.ok) return session.error(outcome.code, rid);
  session.ack(rid);
};
