/**
 * stun/ — the STUN codec (RFC 8489). Rule of this folder: pure functions over bytes; no sockets,
 * timers, logger, zod or JSON; decoding never throws (bad bytes give a reason, never an
 * exception). Load clients and tests reuse it as the way to speak STUN.
 */
export * from './constants.js';
export * from './address.js';
export * from './attributes.js';
export * from './message.js';
export * from './encode.js';
export * from './integrity.js';
export * from './crc32.js';
