/**
 * observability/ — every metric (metrics.ts, prom-client) and the `/v1/status` document. Rule of
 * this folder: reads state, never changes it; labels are bounded sets, never users, rooms or IPs.
 */
export * from './metrics.js';
export * from './status.js';
