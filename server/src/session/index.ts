/**
 * session/ — one peer's session (identity, rooms, socket or resume buffer) and the manager that
 * admits, opens, resumes, dispatches and ends them. Rule: talks to connections only through the
 * PeerSocket interface and to rooms/other peers only through the Cluster port; one file per
 * message type under handlers/, wired in one dispatch table.
 */
export * from './peer-socket.js';
export * from './peer-session.js';
export * from './session-manager.js';
export type { SessionServices } from './handlers/handler.js';
