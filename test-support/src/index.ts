/**
 * @parley/test-support — helpers for integration tests only (never imported by shipped code):
 * Debian Chromium with this machine's flags, ports for tools that cannot bind 0, polling.
 */
export * from './chromium.js';
export * from './net.js';
export * from './wait.js';
