/**
 * observability/ — every metric (metrics.ts, one registry per server) and the child-logger
 * helpers. Rule: the only importer of prom-client; labels are bounded (never room, user or IP).
 */
export * from './metrics.js';
export * from './logging.js';
