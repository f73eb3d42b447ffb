import {
  CreateRoomRequest,
  HistoryResponse,
  HttpError,
  ListRoomsResponse,
  NodesResponse,
  Overview,
  RoomDetail,
  TurnResponse,
  WhoAmI,
  type ListRoomsQuery,
} from '@parley/protocol';
import type { z } from 'zod';
import { AdminApiError, failureForNetworkError, failureForStatus } from './errors';

/** Routes of the signal server's admin API (server/src/admin/), relative to its base URL. */
export const ADMIN_PATHS = {
  whoami: '/v1/admin/whoami',
  overview: '/v1/admin/overview',
  history: '/v1/admin/history',
  rooms: '/v1/admin/rooms',
  room: (room: string) => `/v1/admin/rooms/${encodeURIComponent(room)}`,
  peer: (room: string, peerId: string) => `/v1/admin/rooms/${encodeURIComponent(room)}/peers/${encodeURIComponent(peerId)}`,
  nodes: '/v1/admin/nodes',
  turn: '/v1/admin/turn',
  events: '/v1/admin/events',
} as const;

export interface AdminApiOptions {
  /** Signal server base URL, e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  /** The admin JWT, sent as `Authorization: Bearer`. */
  token: string;
  requestTimeoutMs: number;
  /** Injected for tests of the mapping; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/**
 * Typed access to the admin API. Every answer is validated against protocol/src/admin.ts; every
 * failure is an AdminApiError whose `kind` says what the page should do. Server-side only: the
 * admin token never reaches the browser.
 */
export class AdminApi {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: AdminApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
  }

  whoami(): Promise<WhoAmI> {
    return this.request('GET', ADMIN_PATHS.whoami, WhoAmI);
  }

  overview(): Promise<Overview> {
    return this.request('GET', ADMIN_PATHS.overview, Overview);
  }

  history(): Promise<HistoryResponse> {
    return this.request('GET', ADMIN_PATHS.history, HistoryResponse);
  }

  listRooms(query: Partial<ListRoomsQuery>): Promise<ListRoomsResponse> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') search.set(key, String(value));
    }
    const suffix = search.size > 0 ? `?${search.toString()}` : '';
    return this.request('GET', `${ADMIN_PATHS.rooms}${suffix}`, ListRoomsResponse);
  }

  room(name: string): Promise<RoomDetail> {
    return this.request('GET', ADMIN_PATHS.room(name), RoomDetail);
  }

  /** Creates a room; the server validates the request (bad names come back as refused). */
  async createRoom(request: CreateRoomRequest): Promise<void> {
    await this.request('POST', ADMIN_PATHS.rooms, null, request);
  }

  async closeRoom(name: string): Promise<void> {
    await this.request('DELETE', ADMIN_PATHS.room(name), null);
  }

  async kickPeer(room: string, peerId: string): Promise<void> {
    await this.request('DELETE', ADMIN_PATHS.peer(room, peerId), null);
  }

  nodes(): Promise<NodesResponse> {
    return this.request('GET', ADMIN_PATHS.nodes, NodesResponse);
  }

  turn(): Promise<TurnResponse> {
    return this.request('GET', ADMIN_PATHS.turn, TurnResponse);
  }

  /**
   * Opens the live event stream (server-sent events). Returns the raw answer so its body can be
   * piped to the browser; `signal` ends it. Only opening it is bounded by the request deadline.
   */
  async openEvents(signal: AbortSignal): Promise<Response> {
    const response = await this.send('GET', ADMIN_PATHS.events, undefined, signal, { accept: 'text/event-stream' });
    if (!response.ok) throw await this.failureOf(response);
    return response;
  }

  private async request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>>;
  private async request(method: string, path: string, schema: null, body?: unknown): Promise<void>;
  private async request(method: string, path: string, schema: z.ZodType | null, body?: unknown): Promise<unknown> {
    const deadline = AbortSignal.timeout(this.options.requestTimeoutMs);
    const response = await this.send(method, path, body, deadline, { accept: 'application/json' });
    if (!response.ok) throw await this.failureOf(response);
    if (schema === null) {
      await response.body?.cancel();
      return undefined;
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      throw new AdminApiError('invalid-response', 'INVALID_RESPONSE', response.status, `${method} ${path}: answer is not JSON`, { cause: error });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') ?? '';
      throw new AdminApiError('invalid-response', 'INVALID_RESPONSE', response.status, `${method} ${path}: answer does not match the protocol at "${where}"`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  private async send(method: string, path: string, body: unknown, signal: AbortSignal, headers: Record<string, string>): Promise<Response> {
    try {
      return await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...headers,
          authorization: `Bearer ${this.options.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        cache: 'no-store',
        redirect: 'error',
      });
    } catch (error) {
      const timedOut = signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError';
      throw failureForNetworkError(error, this.baseUrl, timedOut);
    }
  }

  private async failureOf(response: Response): Promise<AdminApiError> {
    let bodyCode: string | undefined;
    try {
      const parsed = HttpError.safeParse(await response.json());
      if (parsed.success) bodyCode = parsed.data.error.code;
    } catch {
      // No JSON body: the status alone decides.
    }
    return failureForStatus(response.status, bodyCode);
  }
}
