/**
 * allocation/ — allocations, permissions, channel bindings, peer policy and quotas (RFC 8656
 * §2.2, §9, §11). Rule of this folder: state and arithmetic only; no sockets, no clock of its own
 * (times come in as numbers), no logging. It reaches the network only through ports.ts.
 */
export * from './ports.js';
export * from './allocation.js';
export * from './allocation-table.js';
export * from './peer-policy.js';
export * from './quotas.js';
