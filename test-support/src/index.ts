/**
 * @parley/test-support — helpers for tests only (never imported by shipped code):
 * Debian Chromium with this machine's flags, ports for tools that cannot bind 0, polling; and,
 * as the subpath `@parley/test-support/json-edits` (no Chromium import), JSON near-miss generators.
 */
export * from './chromium.js';
export * from './net.js';
export * from './wait.js';
