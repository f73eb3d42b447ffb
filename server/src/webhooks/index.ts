/**
 * webhooks/ — signed, retried, bounded delivery of lifecycle events to operators' endpoints.
 * Rule: enqueueing never waits or throws; delivery runs beside the broker, never in its path.
 */
export * from './signature.js';
export * from './webhook-dispatcher.js';
