/**
 * proto/ — the TURN wire formats on top of stun/ (RFC 8656): TURN attribute values, ChannelData,
 * and cutting frames out of TCP/TLS streams. Same rule as stun/: pure, no sockets, timers,
 * logger, zod or JSON; decoding never throws.
 */
export * from './turn-attributes.js';
export * from './channel-data.js';
export * from './stream-framing.js';
export * from './send-indication.js';
