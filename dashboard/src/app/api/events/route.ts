import { adminApiFor } from '../../../admin-api/for-request';
import { isAdminApiError } from '../../../admin-api/errors';
import { dashboardRuntime } from '../../../runtime/dashboard-runtime';
import { readSession } from '../../../session/session';

export const dynamic = 'force-dynamic';

function errorResponse(status: number, code: string): Response {
  return Response.json({ error: { code } }, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * The browser's live feed: the signal server's admin event stream piped through with the
 * session's token, which never reaches the browser. Ends when the browser goes away.
 */
export async function GET(request: Request): Promise<Response> {
  const current = await readSession();
  if (current.state !== 'active') return errorResponse(401, current.state === 'expired' ? 'SESSION_EXPIRED' : 'TOKEN_MISSING');
  let upstream: Response;
  try {
    upstream = await adminApiFor(current.session.token).openEvents(request.signal);
  } catch (error) {
    if (!isAdminApiError(error)) throw error;
    dashboardRuntime().logger.debug({ code: error.code }, 'event stream unavailable');
    return errorResponse(error.kind === 'unauthorized' ? 401 : 502, error.code);
  }
  return new Response(upstream.body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
