/**
 * handlers/ — the control plane: one file per STUN/TURN method (binding, allocate, refresh,
 * create-permission, channel-bind, send), the dispatcher (control-plane.ts) and response
 * building. Rule of this folder: handlers read state and answer through the client's link (a
 * port); they import no sockets and keep no clock of their own. Each check quotes the RFC step.
 */
export * from './context.js';
export * from './control-plane.js';
export * from './result.js';
