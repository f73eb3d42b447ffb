import { directFrame } from '../../wire/encode.js';
import type { Handler } from './handler.js';

/** `direct`: to every session of a user (call invitations, contact requests). Needs the direct grant. */
export const handleDirect: Handler<'direct'> = (session, message, rid, services, opaque) => {
  if (!session.grants.direct) return session.error('FORBIDDEN', rid, 'the token has no direct grant');
  const reached = services.cluster.sendToUser(message.toUser, directFrame(session.userId, session.peerId, opaque), session.peerId);
  if (reached === 0) return session.error('USER_NOT_FOUND', rid);
  session.ack(rid);
};
