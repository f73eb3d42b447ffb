import type { Handler } from './handler.js';

/** `stats`: a client's getStats summary; kept per room member for quality, observed in histograms. */
export const handleStats: Handler<'stats'> = (session, message, rid, services) => {
  if (!session.rooms.has(message.room)) return session.error('NOT_IN_ROOM', rid);
  services.cluster.recordStats(message.room, session.peerId, message.report, services.clock.now());
  const { metrics } = services;
  for (const connection of message.report.connections) {
    if (connection.rttMs !== undefined) metrics.rttSeconds.observe(connection.rttMs / 1000);
    if (connection.lossRatio !== undefined) metrics.lossRatio.observe(connection.lossRatio);
    if (connection.jitterMs !== undefined) metrics.jitterSeconds.observe(connection.jitterMs / 1000);
    if (connection.bitrateInBps !== undefined) metrics.bitrateBytesPerSecond.labels('in').observe(connection.bitrateInBps / 8);
    if (connection.bitrateOutBps !== undefined) metrics.bitrateBytesPerSecond.labels('out').observe(connection.bitrateOutBps / 8);
  }
  session.ack(rid);
};
