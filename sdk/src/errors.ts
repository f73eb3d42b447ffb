import { ERRORS, errorCodeForClose, isErrorCode, type ErrorCode } from '@parley/protocol';

/**
 * Reason-coded errors. Every failure the SDK reports carries a stable `code`: either one of the
 * server's wire codes (protocol/src/errors.ts) or one of the client-side codes below. Apps match
 * on `code` (never on message text) to choose what to tell the user.
 */
export const CLIENT_ERRORS = {
  CONNECTION_FAILED: { retryable: true, description: 'The signal server could not be reached, or closed the socket before the session started.' },
  CONNECTION_LOST: { retryable: true, description: 'The signaling connection dropped and the reconnect policy gave up.' },
  REQUEST_TIMEOUT: { retryable: true, description: 'The server did not answer a request in time.' },
  CLIENT_CLOSED: { retryable: false, description: 'The client was closed by the application; pending requests are cancelled.' },
  SESSION_LOST: { retryable: true, description: 'The session could not be resumed; queued requests were dropped and rooms were joined again.' },
  TURN_UNREACHABLE: { retryable: true, description: 'No relay candidate could be gathered from the TURN servers (down, blocked, or credentials refused).' },
  TURN_NOT_CONFIGURED: { retryable: false, description: 'The server hands out no TURN server: direct connections may work, relay-only ones cannot.' },
  ICE_FAILED: { retryable: true, description: 'A peer connection failed and ICE restarts did not bring it back.' },
  MEDIA_DENIED: { retryable: false, description: 'The user or the browser refused camera/microphone access.' },
  MEDIA_UNAVAILABLE: { retryable: false, description: 'No camera/microphone matches the request, or it is in use.' },
  PEER_UNAVAILABLE: { retryable: true, description: 'The peer is not connected (no open data channel).' },
  FILE_TOO_LARGE: { retryable: false, description: 'The file is larger than the receiver accepts.' },
  FILE_TRUNCATED: { retryable: true, description: 'The transfer ended before all announced bytes arrived.' },
  FILE_CORRUPTED: { retryable: true, description: 'The received bytes do not match the SHA-256 announced by the sender.' },
  FILE_PROTOCOL: { retryable: false, description: 'The other side sent file-transfer frames out of order or malformed.' },
} as const;

export type ClientErrorCode = keyof typeof CLIENT_ERRORS;
/** Every code a ParleyError can carry. */
export type ParleyErrorCode = ErrorCode | ClientErrorCode;

export class ParleyError extends Error {
  override readonly name = 'ParleyError';
  readonly code: ParleyErrorCode;
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;
  /** Milliseconds the server asked us to wait before retrying (RATE_LIMITED and the like). */
  readonly retryAfterMs: number | undefined;

  constructor(code: ParleyErrorCode, message?: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super(message ?? describeError(code), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = isRetryable(code);
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function describeError(code: ParleyErrorCode): string {
  return isErrorCode(code) ? ERRORS[code].description : CLIENT_ERRORS[code].description;
}

export function isRetryable(code: ParleyErrorCode): boolean {
  return isErrorCode(code) ? ERRORS[code].retryable : CLIENT_ERRORS[code].retryable;
}

/**
 * The error a WebSocket close stands for. Parley's own close codes (44xx/45xx) map to their
 * wire code; anything else (1006 abnormal closure, 1001 going away...) is a lost connection.
 */
export function errorForClose(closeCode: number, reason: string): ParleyError {
  const code = errorCodeForClose(closeCode);
  if (code) return new ParleyError(code, reason || undefined);
  return new ParleyError('CONNECTION_FAILED', `socket closed (${closeCode}${reason ? `: ${reason}` : ''})`);
}
