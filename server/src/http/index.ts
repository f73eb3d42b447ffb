/**
 * http/ — REST routes as plain request → response functions (system, TURN credentials, dev
 * tokens, static files) and their helpers. Rule: no uWebSockets.js here; transport/ adapts.
 */
export * from './types.js';
export * from './responses.js';
export * from './bearer.js';
export * from './system-routes.js';
export * from './turn-credentials-route.js';
export * from './dev-token-route.js';
export * from './static-files.js';
