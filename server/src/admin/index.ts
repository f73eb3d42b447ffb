/**
 * admin/ — the admin API (`/v1/admin/*`, admin grant): rooms, peers, nodes, TURN, overview,
 * history and the live event stream, plus the OpenAPI document. Rule: reads and changes state
 * only through the Cluster port and the SessionManager; routes are plain http/ handlers.
 */
export * from './admin-service.js';
export * from './admin-routes.js';
export * from './history.js';
export * from './rate-meter.js';
export * from './turn-poller.js';
export * from './openapi.js';
