/**
 * @parley/protocol — the wire contract shared by the server, the SDK and the dashboard.
 * Rule of this folder: zod only; no node:*, no DOM, no I/O. Everything here is data shapes and
 * pure functions over them.
 */
export * from './errors.js';
export * from './ids.js';
export * from './grants.js';
export * from './quality.js';
export * from './quality-grade.js';
export * from './turn.js';
export * from './admin.js';
export * from './webhook.js';
export * from './messages/shared.js';
export * from './messages/client.js';
export * from './messages/server.js';

/** Path of the WebSocket endpoint; the version lives in the URL. */
export const WS_PATH = '/v1/ws';
export const PROTOCOL_VERSION = 1;
