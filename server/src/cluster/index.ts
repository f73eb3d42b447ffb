/**
 * cluster/ — where rooms and peers are, behind the Cluster port: the local implementation (this
 * process only, the default) and, later, Redis (several nodes). Rule: sessions and the admin API
 * reach rooms and other peers only through Cluster; this is the only folder that may import
 * ioredis, and every Redis key will be a named constant in keys.ts.
 */
export * from './cluster.js';
export * from './local-cluster.js';
