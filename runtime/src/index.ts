/**
 * @parley/runtime — process plumbing shared by Parley's Node processes (signal, turn, cli).
 * Rule of this folder: no domain logic, no sockets, and no reading of process.env: callers pass
 * the environment in.
 */
export * from './config.js';
export * from './logger.js';
