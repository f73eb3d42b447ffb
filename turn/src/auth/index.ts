/**
 * auth/ — long-term credentials with REST ephemeral usernames, stateless nonces, the revocation
 * list. Rule of this folder: pure over a clock passed in (no Date.now, no timers), no sockets.
 */
export * from './nonce.js';
export * from './revocations.js';
export * from './authenticator.js';
