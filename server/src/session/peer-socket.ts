import type { Frame } from '../wire/frame.js';

/**
 * The one thing the session layer knows about a connection: it can send text frames (as strings
 * or as their UTF-8 bytes), cork a
 * batch of sends, and close. transport/ implements it over a uWS WebSocket; nothing in session/
 * imports uWebSockets.js.
 */
export type SendOutcome = 'sent' | 'queued' | 'dropped';

export interface PeerSocket {
  /** The client's address as text (after X-Forwarded-For handling when configured). */
  readonly remoteAddress: string;
  readonly isOpen: boolean;
  /** 'queued' = accepted but buffered by backpressure; 'dropped' = over the backpressure limit. */
  send(frame: Frame): SendOutcome;
  /** Runs `batch` with the socket corked so its sends leave in one syscall. */
  cork(batch: () => void): void;
  /** Closes with a WebSocket close code and a short reason; idempotent. */
  close(code: number, reason: string): void;
}
