/**
 * docs/ — generators of the committed references (docs/config.md, docs/openapi.json) and the
 * tests that keep them, and docs/protocol.md, true to the code. Rule: nothing here is imported
 * by the running server.
 */
export * from './reference-docs.js';
