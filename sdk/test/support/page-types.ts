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
    /** State of a BrowserPeer (support/browser-peer.ts). */
    peer: PeerState;
  };

export interface ReceivedFileRecord {
  from: string;
  name: string;
  sizeBytes: number;
  /** What the SDK verified. */
  sha256: string;
  /** Recomputed from the delivered Blob with WebCrypto, an independent oracle. */
  webCryptoSha256: string;
}

export interface PeerState {
  client: Sdk.ParleyClient;
  room: Sdk.Room;
  /** Room and client events in order, as short strings ("peer.left:<id>:<reason>", "resumed"...). */
  log: string[];
  chats: Sdk.ChatMessage[];
  files: ReceivedFileRecord[];
  failedFiles: string[];
  directs: unknown[];
  broadcasts: unknown[];
  turnRefreshes: number;
  localStream: MediaStream | null;
}
