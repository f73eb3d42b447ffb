import type { TokenVerifier, VerifiedToken } from '../auth/index.js';
import { TokenError } from '../auth/index.js';
import type { SignalMetrics } from '../observability/index.js';
import { httpError } from './responses.js';
import type { HttpRequest, HttpResponse } from './types.js';

/** The access token of a REST request: `Authorization: Bearer`, or `?access_token=` (EventSource cannot set headers). */
export function bearerToken(request: HttpRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : header;
  }
  return request.query.get('access_token') ?? undefined;
}

export type Authenticated = { ok: true; token: VerifiedToken } | { ok: false; response: HttpResponse };

/** Verifies the request's token; with `admin`, also requires the admin grant (403 otherwise). */
export async function authenticate(request: HttpRequest, verifier: TokenVerifier, metrics: SignalMetrics, options: { admin: boolean }): Promise<Authenticated> {
  try {
    const token = await verifier.verify(bearerToken(request));
    if (options.admin && !token.grants.admin) return { ok: false, response: httpError('FORBIDDEN', 'the token has no admin grant') };
    return { ok: true, token };
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    metrics.authFailures.labels(error.code).inc();
    return { ok: false, response: httpError(error.code, error.message, { 'www-authenticate': 'Bearer' }) };
  }
}
