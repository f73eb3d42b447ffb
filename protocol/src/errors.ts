/**
 * The one table of error codes. Every `error` frame, WebSocket close and HTTP error body carries
 * one of these codes; clients and tests match on the code, never on message text.
 *
 * `wsCloseCode` is set only for errors that end the connection; `null` means the server answers
 * with an `error` frame and the connection stays up.
 */
export interface ErrorSpec {
  readonly httpStatus: number;
  readonly wsCloseCode: number | null;
  readonly retryable: boolean;
  readonly description: string;
}

export const ERRORS = {
  // Authentication: a distinct close code for each way a token can fail.
  TOKEN_MISSING: { httpStatus: 401, wsCloseCode: 4410, retryable: false, description: 'No access token was presented.' },
  TOKEN_MALFORMED: { httpStatus: 401, wsCloseCode: 4411, retryable: false, description: 'The token is not a well-formed JWS, or uses an algorithm that is not accepted (including alg "none").' },
  TOKEN_EXPIRED: { httpStatus: 401, wsCloseCode: 4412, retryable: false, description: 'The token "exp" is in the past (beyond the configured leeway).' },
  TOKEN_NOT_YET_VALID: { httpStatus: 401, wsCloseCode: 4413, retryable: true, description: 'The token "nbf" or "iat" is in the future (beyond the configured leeway).' },
  TOKEN_BAD_SIGNATURE: { httpStatus: 401, wsCloseCode: 4414, retryable: false, description: 'The signature does not verify with any configured key for this "kid"/"alg".' },
  TOKEN_BAD_CLAIMS: { httpStatus: 401, wsCloseCode: 4415, retryable: false, description: 'A required claim is missing or wrong: "sub", "exp", "aud", "iss" or the "parley" grants.' },
  FORBIDDEN: { httpStatus: 403, wsCloseCode: null, retryable: false, description: 'The token is valid but its grants do not allow this action.' },

  // Bad input on an open connection: answered, never fatal.
  MALFORMED_JSON: { httpStatus: 400, wsCloseCode: null, retryable: false, description: 'The frame is not valid JSON.' },
  UNKNOWN_TYPE: { httpStatus: 400, wsCloseCode: null, retryable: false, description: 'The message "type" is not part of the protocol.' },
  INVALID_MESSAGE: { httpStatus: 400, wsCloseCode: null, retryable: false, description: 'A field is missing, has the wrong type or is out of bounds.' },
  MESSAGE_TOO_LARGE: { httpStatus: 413, wsCloseCode: null, retryable: false, description: 'The frame is larger than the configured maximum message size.' },
  BINARY_NOT_SUPPORTED: { httpStatus: 400, wsCloseCode: null, retryable: false, description: 'Only text frames carry protocol messages.' },

  // Rooms and addressing.
  ROOM_NOT_FOUND: { httpStatus: 404, wsCloseCode: null, retryable: false, description: 'The room does not exist and may not be created by this token.' },
  ROOM_EXISTS: { httpStatus: 409, wsCloseCode: null, retryable: false, description: 'A room with this name already exists.' },
  ROOM_FULL: { httpStatus: 409, wsCloseCode: null, retryable: true, description: 'The room has reached maxPeers.' },
  ROOM_CLOSED: { httpStatus: 410, wsCloseCode: null, retryable: false, description: 'The room is closing and accepts no more joins.' },
  NOT_IN_ROOM: { httpStatus: 409, wsCloseCode: null, retryable: false, description: 'This connection has not joined the room named in the message.' },
  ALREADY_IN_ROOM: { httpStatus: 409, wsCloseCode: null, retryable: false, description: 'This connection has already joined the room.' },
  PEER_NOT_FOUND: { httpStatus: 404, wsCloseCode: null, retryable: false, description: 'The addressed peer is not in the room.' },
  USER_NOT_FOUND: { httpStatus: 404, wsCloseCode: null, retryable: true, description: 'The addressed user has no connected session.' },
  TOO_MANY_ROOMS: { httpStatus: 409, wsCloseCode: null, retryable: false, description: 'This connection is already in the maximum number of rooms.' },
  STATE_LIMIT: { httpStatus: 409, wsCloseCode: null, retryable: false, description: 'The room state has reached its maximum number of keys or bytes.' },

  // Limits.
  RATE_LIMITED: { httpStatus: 429, wsCloseCode: null, retryable: true, description: 'A per-user rate limit was exceeded; the message was dropped.' },
  ABUSE: { httpStatus: 429, wsCloseCode: 4429, retryable: true, description: 'Rate limits were exceeded persistently; the connection was closed.' },
  TOO_MANY_CONNECTIONS: { httpStatus: 429, wsCloseCode: 4430, retryable: true, description: 'The per-user or per-IP connection limit was reached.' },
  SLOW_CONSUMER: { httpStatus: 503, wsCloseCode: 4408, retryable: true, description: 'The client did not read fast enough and its send buffer overflowed.' },

  // Lifecycle.
  KICKED: { httpStatus: 200, wsCloseCode: 4440, retryable: false, description: 'An administrator removed this peer.' },
  SESSION_REPLACED: { httpStatus: 409, wsCloseCode: 4409, retryable: false, description: 'The session was resumed on another connection.' },
  RESUME_FAILED: { httpStatus: 409, wsCloseCode: null, retryable: false, description: 'The resume token is unknown or its grace period lapsed; a fresh session was started.' },
  DRAINING: { httpStatus: 503, wsCloseCode: 4503, retryable: true, description: 'The node is shutting down; reconnect (to another node) after the advertised delay.' },

  // HTTP-only and internal.
  NOT_FOUND: { httpStatus: 404, wsCloseCode: null, retryable: false, description: 'No such route or resource.' },
  METHOD_NOT_ALLOWED: { httpStatus: 405, wsCloseCode: null, retryable: false, description: 'The route does not accept this HTTP method.' },
  INVALID_REQUEST: { httpStatus: 400, wsCloseCode: null, retryable: false, description: 'The HTTP request body or query is invalid.' },
  INTERNAL: { httpStatus: 500, wsCloseCode: 4500, retryable: true, description: 'An unexpected server error; it was logged.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, value);
}

/** The error code a WebSocket close code stands for, if it is one of ours. */
export function errorCodeForClose(wsCloseCode: number): ErrorCode | undefined {
  return ERROR_CODES.find((code) => ERRORS[code].wsCloseCode === wsCloseCode);
}
