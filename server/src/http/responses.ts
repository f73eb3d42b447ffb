import { ERRORS, type ErrorCode } from '@parley/protocol';
import type { HttpResponse } from './types.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** The JSON error body every route uses: `{ error: { code, message? } }` with the table's status. */
export function httpError(code: ErrorCode, message?: string, headers: Record<string, string> = {}): HttpResponse {
  const error: { code: ErrorCode; message?: string } = { code };
  if (message !== undefined) error.message = message;
  return json(ERRORS[code].httpStatus, { error }, headers);
}

export function noContent(): HttpResponse {
  return { status: 204 };
}

/** Parses a JSON body; an empty body is `{}`. Returns undefined when it is not JSON. */
export function readJsonBody(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (body.length === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}
