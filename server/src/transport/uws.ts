import uWS from 'uWebSockets.js';

/**
 * The uWebSockets.js module, checked. Its npm package silently falls back to a pure-JS `ws`
 * implementation when the native binary does not load (or when UWS_USE_FALLBACK is set); that
 * fallback must never serve traffic unnoticed, so the server refuses to start on it. The
 * fallback lacks the native-only helpers, `getParts` among them: that is the tell.
 */
export { uWS };

export const UWS_NATIVE: boolean = typeof (uWS as unknown as { getParts?: unknown }).getParts === 'function';

export class UwsNotNativeError extends Error {
  constructor() {
    super(
      'uWebSockets.js is running its JavaScript fallback, not the native binary (missing binary for ' +
        `${process.platform}-${process.arch} ABI ${process.versions.modules}, or UWS_USE_FALLBACK is set); ` +
        'refusing to start. Use Node 20 on linux-x64/arm64 and unset UWS_USE_FALLBACK.',
    );
    this.name = 'UwsNotNativeError';
  }
}

export function assertNativeUws(): void {
  if (!UWS_NATIVE) throw new UwsNotNativeError();
}
