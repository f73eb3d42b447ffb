/**
 * handlers/ — one file per client message type, each a Handler (handler.ts), wired in
 * dispatch-table.ts. Rule: a handler answers every message that carries a rid exactly once
 * (reply, ack or error), reaches rooms and peers only through the Cluster port, and awaits only
 * when it must (the session queues later messages meanwhile).
 */
export { DISPATCH_TABLE } from './dispatch-table.js';
export type { Handler, SessionServices } from './handler.js';
