/**
 * config/ — the signal server's settings. Rule: the zod schema is the single source of truth
 * (defaults, units, descriptions, secrets); nothing else reads the environment or a file.
 */
export * from './schema.js';
export * from './load.js';
