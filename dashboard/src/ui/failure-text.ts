import { ERRORS, isErrorCode } from '@parley/protocol';

/** Dashboard-side codes (no answer from the server, or the dashboard's own session). */
const DASHBOARD_CODES: Record<string, string> = {
  SIGNAL_UNREACHABLE: 'The signal server did not answer: it is down, restarting, or the dashboard points at the wrong address.',
  SIGNAL_TIMEOUT: 'The signal server did not answer within the request deadline.',
  INVALID_RESPONSE: 'The signal server answered with data this dashboard does not understand (version mismatch?).',
  SESSION_EXPIRED: 'Your dashboard session expired. Log in again.',
};

/** A stable code as shown to people: the code itself plus its one-line meaning. */
export function explainCode(code: string): string {
  if (isErrorCode(code)) return ERRORS[code].description;
  return DASHBOARD_CODES[code] ?? 'Unexpected failure.';
}

/** Codes arriving in URLs are shown only when they look like codes. */
export function codeFromSearchParam(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && /^[A-Z][A-Z0-9_]{1,40}$/.test(text) ? text : undefined;
}
