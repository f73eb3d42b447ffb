import type { Handler } from './handler.js';

/** `ping`: answered with `pong` and the server time (clients estimate clock offset with it). */
export const handlePing: Handler<'ping'> = (session, _message, rid, services) => {
  session.reply(rid === undefined ? JSON.stringify({ type: 'pong', serverTimeMs: services.clock.now() }) : JSON.stringify({ type: 'pong', rid, serverTimeMs: services.clock.now() }));
};
