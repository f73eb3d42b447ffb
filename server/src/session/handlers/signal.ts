import { signalFrame } from '../../wire/encode.js';
import type { Handler } from './handler.js';

/** `signal`: SDP and ICE to one peer of a shared room. The relay hot path: no await, and the payload is forwarded as the bytes the client sent. */
export const handleSignal: Handler<'signal'> = (session, message, rid, services, opaque) => {
  if (!session.rooms.has(message.room)) return session.error('NOT_IN_ROOM', rid);
  if (!services.cluster.isMember(message.room, message.to)) return session.error('PEER_NOT_FOUND', rid);
  services.cluster.sendToPeer(message.to, signalFrame(session.signalHead(message.room), opaque));
  session.ack(rid);
};
