/**
 * wire/ — the protocol at the byte boundary: decoding and validating client frames, encoding
 * server frames. Rule: pure functions over strings, bytes and objects; no I/O, no state.
 */
export * from './decode.js';
export * from './encode.js';
export * from './frame.js';
export * from './validators.js';
export * from './json-scan.js';
export * from './signal-scan.js';
