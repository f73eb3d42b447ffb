import type * as Sdk from '../../src/index.js';

/**
 * What the harness page puts on `window`, for typing the code tests run inside the page with
 * `page.evaluate` (type-only: the functions are serialized and run in Chromium).
 */
export type HarnessWindow = Window &
  typeof globalThis & {
    parley: typeof Sdk;
    harnessReady?: boolean;
    /** Per-test state kept in the page between evaluate calls. */
    state: Record<string, unknown>;
  };
