import { CreateRoomRequest, ListRoomsQuery, type WhoAmI } from '@parley/protocol';
import type { TokenVerifier, VerifiedToken } from '../auth/index.js';
import type { Cluster } from '../cluster/index.js';
import { authenticate, httpError, json, noContent, readJsonBody, type HttpRequest, type HttpResponse, type Route } from '../http/index.js';
import type { SignalMetrics } from '../observability/index.js';
import type { Clock } from '../time/clock.js';
import type { AdminService } from './admin-service.js';
import { eventsStream } from './events-stream.js';
import type { HistoryRecorder } from './history.js';

export interface AdminRouteDeps {
  verifier: TokenVerifier;
  metrics: SignalMetrics;
  admin: AdminService;
  history: HistoryRecorder;
  cluster: Cluster;
  clock: Clock;
  overviewIntervalSeconds: number;
}

/**
 * The admin API, `/v1/admin/*`: every route needs a token with the admin grant (401 without a
 * valid token, 403 without the grant). Shapes are protocol/src/admin.ts.
 */
export function adminRoutes(deps: AdminRouteDeps): Route[] {
  const guarded =
    (handler: (request: HttpRequest, token: VerifiedToken) => HttpResponse | Promise<HttpResponse>) =>
    async (request: HttpRequest): Promise<HttpResponse> => {
      const auth = await authenticate(request, deps.verifier, deps.metrics, { admin: true });
      return auth.ok ? handler(request, auth.token) : auth.response;
    };
  const { admin } = deps;
  const route = (method: Route['method'], pattern: string, handler: Parameters<typeof guarded>[0]): Route => ({
    method,
    pattern,
    group: 'admin',
    handler: guarded(handler),
  });
  return [
    route('GET', '/v1/admin/whoami', (_request, token) => {
      const body: WhoAmI = { userId: token.userId as WhoAmI['userId'], admin: true, expiresAt: token.expiresAt };
      return json(200, body);
    }),
    route('GET', '/v1/admin/overview', () => json(200, admin.overview())),
    route('GET', '/v1/admin/history', () => json(200, deps.history.snapshot())),
    route('GET', '/v1/admin/nodes', async () => json(200, await admin.nodes())),
    route('GET', '/v1/admin/turn', () => json(200, admin.turn())),
    route('GET', '/v1/admin/rooms', (request) => {
      // The token may travel as ?access_token=; it is not part of the query's shape.
      const { access_token: _token, ...fields } = Object.fromEntries(request.query);
      const query = ListRoomsQuery.safeParse(fields);
      if (!query.success) return httpError('INVALID_REQUEST', query.error.issues[0]?.message);
      return json(200, admin.listRooms(query.data));
    }),
    route('POST', '/v1/admin/rooms', async (request) => {
      const body = readJsonBody(request.body);
      if (!body.ok) return httpError('INVALID_REQUEST', 'the body is not JSON');
      const parsed = CreateRoomRequest.safeParse(body.value);
      if (!parsed.success) return httpError('INVALID_REQUEST', parsed.error.issues[0]?.message);
      const detail = await admin.createRoom(parsed.data);
      return detail ? json(201, detail) : httpError('ROOM_EXISTS');
    }),
    route('GET', '/v1/admin/rooms/:room', (request) => {
      const detail = admin.roomDetail(request.params.room!);
      return detail ? json(200, detail) : httpError('ROOM_NOT_FOUND');
    }),
    route('DELETE', '/v1/admin/rooms/:room', async (request) => ((await admin.closeRoom(request.params.room!)) ? noContent() : httpError('ROOM_NOT_FOUND'))),
    route('DELETE', '/v1/admin/rooms/:room/peers/:peerId', async (request) => {
      const outcome = await admin.kick(request.params.room!, request.params.peerId!);
      return outcome.ok ? noContent() : httpError(outcome.code);
    }),
    route('GET', '/v1/admin/events', () => eventsStream(deps.cluster, admin, deps.clock, deps.overviewIntervalSeconds)),
  ];
}
