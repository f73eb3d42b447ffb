import { isErrorCode, type ErrorCode } from '@parley/protocol';

/**
 * How a call to the admin API can fail, as the dashboard acts on it:
 *  - unreachable       no answer (refused, reset, DNS, deadline): banner and retry
 *  - unauthorized      401, or 403 for a token without the admin grant: back to the login page
 *  - not-found         404: the not-found page (a room that vanished)
 *  - refused           any other error answer (409 ROOM_EXISTS, 429...): its code is shown
 *  - invalid-response  an answer that does not match the protocol: shown like unreachable
 */
export type AdminApiFailureKind = 'unreachable' | 'unauthorized' | 'not-found' | 'refused' | 'invalid-response';

/** Codes of failures that have no answer from the server, so no code of protocol/errors.ts. */
export type DashboardFailureCode = 'SIGNAL_UNREACHABLE' | 'SIGNAL_TIMEOUT' | 'INVALID_RESPONSE';

export type AdminApiFailureCode = ErrorCode | DashboardFailureCode;

export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';

  constructor(
    readonly kind: AdminApiFailureKind,
    readonly code: AdminApiFailureCode,
    /** HTTP status of the answer; 0 when there was none. */
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Maps an HTTP error answer (status + parsed `{ error: { code } }` body, if any) to a failure. */
export function failureForStatus(status: number, bodyCode: string | undefined): AdminApiError {
  const code: AdminApiFailureCode = isErrorCode(bodyCode) ? bodyCode : fallbackCode(status);
  const message = `admin API answered ${status} ${code}`;
  if (status === 401) return new AdminApiError('unauthorized', code, status, message);
  // A valid token without the admin grant cannot use the dashboard at all.
  if (status === 403) return new AdminApiError('unauthorized', code, status, message);
  if (status === 404) return new AdminApiError('not-found', code, status, message);
  if (status >= 500 && !isErrorCode(bodyCode)) return new AdminApiError('unreachable', code, status, message);
  return new AdminApiError('refused', code, status, message);
}

function fallbackCode(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'TOKEN_MISSING';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 429:
      return 'RATE_LIMITED';
    default:
      return status >= 500 ? 'INTERNAL' : 'INVALID_REQUEST';
  }
}

/** Maps a fetch that threw (no answer at all) to a failure. */
export function failureForNetworkError(error: unknown, baseUrl: string, timedOut: boolean): AdminApiError {
  if (timedOut) return new AdminApiError('unreachable', 'SIGNAL_TIMEOUT', 0, `signal server at ${baseUrl} did not answer in time`, { cause: error });
  return new AdminApiError('unreachable', 'SIGNAL_UNREACHABLE', 0, `signal server at ${baseUrl} is unreachable`, { cause: error });
}

export function isAdminApiError(error: unknown): error is AdminApiError {
  return error instanceof AdminApiError;
}
