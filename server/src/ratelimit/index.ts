/**
 * ratelimit/ — pure token buckets and the per-user limits built from them. Rule: no I/O, no
 * clock of its own (callers pass the time), no metrics.
 */
export * from './token-bucket.js';
export * from './user-limits.js';
