import { CreateRoomRequest, ListRoomsQuery, type ErrorCode, type WhoAmI } from '@parley/protocol';
import type { Logger } from '@parley/runtime';
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
  /** Receives one `admin action` line per create, close and kick: the audit trail. */
  auditLogger: Logger;
}

/** What an admin action did, for its audit line; `outcome` is "ok" or the refusal's error code. */
interface AuditEntry {
  action: 'room.create' | 'room.close' | 'peer.kick';
  room?: string;
  peerId?: string;
  outcome: 'ok' | ErrorCode;
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
  // Who did what to which room or peer, and how it ended: one line per action, refusals included.
  const audit = (token: VerifiedToken, entry: AuditEntry) => deps.auditLogger.info({ actor: token.userId, ...entry }, 'admin action');
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
    route('POST', '/v1/admin/rooms', async (request, token) => {
      const body = readJsonBody(request.body);
      if (!body.ok) {
        audit(token, { action: 'room.create', outcome: 'INVALID_REQUEST' });
        return httpError('INVALID_REQUEST', 'the body is not JSON');
      }
      const parsed = CreateRoomRequest.safeParse(body.value);
      if (!parsed.success) {
        audit(token, { action: 'room.create', outcome: 'INVALID_REQUEST' });
        return httpError('INVALID_REQUEST', parsed.error.issues[0]?.message);
      }
      const detail = await admin.createRoom(parsed.data);
      audit(token, { action: 'room.create', room: parsed.data.name, outcome: detail ? 'ok' : 'ROOM_EXISTS' });
      return detail ? json(201, detail) : httpError('ROOM_EXISTS');
    }),
    route('GET', '/v1/admin/rooms/:room', (request) => {
      const detail = admin.roomDetail(request.params.room!);
      return detail ? json(200, detail) : httpError('ROOM_NOT_FOUND');
    }),
    route('DELETE', '/v1/admin/rooms/:room', async (request, token) => {
      const room = request.params.room!;
      const closed = await admin.closeRoom(room);
      audit(token, { action: 'room.close', room, outcome: closed ? 'ok' : 'ROOM_NOT_FOUND' });
      return closed ? noContent() : httpError('ROOM_NOT_FOUND');
    }),
    route('DELETE', '/v1/admin/rooms/:room/peers/:peerId', async (request, token) => {
      const room = request.params.room!;
      const peerId = request.params.peerId!;
      const outcome = await admin.kick(room, peerId);
      audit(token, { action: 'peer.kick', room, peerId, outcome: outcome.ok ? 'ok' : outcome.code });
      return outcome.ok ? noContent() : httpError(outcome.code);
    }),
    route('GET', '/v1/admin/events', () => eventsStream(deps.cluster, admin, deps.clock, deps.overviewIntervalSeconds)),
  ];
}
