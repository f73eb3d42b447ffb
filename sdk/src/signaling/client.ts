import type { ClientMessage, IceServer, ServerMessage, ServerMessageOf } from '@parley/protocol';
import { Emitter } from '../emitter.js';
import { ParleyError, errorForClose } from '../errors.js';
import { jitteredBackoff, type ReconnectPolicy } from './backoff.js';
import { Outbox } from './outbox.js';
import { PendingRequests } from './pending-requests.js';
import { parseServerFrame, routeServerMessage } from './route.js';
import { socketUrl } from './socket-url.js';

/**
 * The signaling connection: one WebSocket to the signal server, kept alive across blips.
 *
 * A dropped socket is reconnected under the reconnect policy and presents the session's resume
 * token, so within the server's grace period it keeps its peer id and rooms and the other peers
 * notice nothing; frames written meanwhile wait in a bounded outbox. When the session cannot be
 * resumed the client says so (`session.restarted`) and rooms join again on their own.
 */

/** An access token, or a function that fetches a fresh one for every (re)connection. */
export type TokenSource = string | (() => string | Promise<string>);

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface ConnectOptions {
  /** When to retry after the connection drops; default: jittered exponential backoff. */
  reconnectPolicy?: ReconnectPolicy;
  /** Time allowed from opening the socket to receiving the `session` message. */
  connectTimeoutMs?: number;
  /** Time allowed for the server to answer a request. */
  requestTimeoutMs?: number;
  /** How often to ping when otherwise idle. */
  heartbeatIntervalMs?: number;
  /** Silence (no frame at all) beyond one heartbeat interval after which the socket is declared dead. */
  heartbeatTimeoutMs?: number;
  /** Frames kept while reconnecting; older ones are dropped beyond this. */
  maxQueuedFrames?: number;
  /** WebSocket implementation, for runtimes without a global one. */
  WebSocket?: WebSocketConstructor;
}

export type WebSocketConstructor = new (url: string) => WebSocket;

export const DEFAULT_CONNECT_OPTIONS = {
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  heartbeatIntervalMs: 10_000,
  heartbeatTimeoutMs: 10_000,
  maxQueuedFrames: 512,
} as const;

export type SessionMessage = ServerMessageOf<'session'>;

/** Names of the events a client emits. */
export const ClientEvent = {
  /** The connection state changed: payload is the new state. */
  State: 'state',
  /** The socket dropped and a reconnect attempt is scheduled. */
  Reconnecting: 'reconnecting',
  /** Reconnected within the grace period: same peer id, rooms kept, nobody saw us leave. */
  Resumed: 'resumed',
  /** Reconnected, but the old session was gone: new peer id; rooms join again by themselves. */
  SessionRestarted: 'session.restarted',
  /** The client is closed for good (fatal error, policy gave up, or `close()`). */
  Disconnected: 'disconnected',
  /** A user-addressed message arrived. */
  Direct: 'direct',
  /** The server pushed fresh TURN credentials; meshes apply them with setConfiguration. */
  TurnRefresh: 'turn.refresh',
  /** The browser reported a network change; meshes restart ICE. */
  NetworkChanged: 'network.changed',
  /** A server error not tied to a request (for example RATE_LIMITED on a signal). */
  Error: 'error',
} as const;

export interface ClientEvents {
  [ClientEvent.State]: ConnectionState;
  [ClientEvent.Reconnecting]: { attempt: number; delayMs: number; error: ParleyError };
  [ClientEvent.Resumed]: { peerId: string };
  [ClientEvent.SessionRestarted]: { previousPeerId: string; peerId: string };
  [ClientEvent.Disconnected]: { error: ParleyError };
  [ClientEvent.Direct]: { fromUser: string; fromPeer: string; data: unknown };
  [ClientEvent.TurnRefresh]: { iceServers: IceServer[]; turnExpiresAt: number };
  [ClientEvent.NetworkChanged]: { online: boolean };
  [ClientEvent.Error]: ParleyError;
}

/** Handles server messages addressed to one room (implemented by Room). */
export interface RoomMessageSink {
  handleServerMessage(message: ServerMessage): void;
}

export class SignalingClient extends Emitter<ClientEvents> {
  readonly url: string;
  #token: TokenSource;
  #options: Required<Omit<ConnectOptions, 'WebSocket' | 'reconnectPolicy'>>;
  #policy: ReconnectPolicy;
  #WebSocket: WebSocketConstructor;
  #state: ConnectionState = 'connecting';
  #socket: WebSocket | null = null;
  #session: SessionMessage | null = null;
  #pending: PendingRequests;
  #outbox: Outbox;
  #sinks = new Map<string, RoomMessageSink>();
  #lastFrameAtMs = 0;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #wakeReconnect: (() => void) | null = null;
  #detachNetwork: (() => void) | null = null;

  constructor(url: string, token: TokenSource, options: ConnectOptions = {}) {
    super();
    this.url = url;
    this.#token = token;
    this.#options = {
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_OPTIONS.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_CONNECT_OPTIONS.requestTimeoutMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_CONNECT_OPTIONS.heartbeatIntervalMs,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_CONNECT_OPTIONS.heartbeatTimeoutMs,
      maxQueuedFrames: options.maxQueuedFrames ?? DEFAULT_CONNECT_OPTIONS.maxQueuedFrames,
    };
    this.#policy = options.reconnectPolicy ?? jitteredBackoff();
    const WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
    if (!WebSocketImpl) throw new TypeError('no WebSocket implementation: pass options.WebSocket');
    this.#WebSocket = WebSocketImpl;
    this.#pending = new PendingRequests(this.#options.requestTimeoutMs);
    this.#outbox = new Outbox(this.#options.maxQueuedFrames);
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The current session: peer id, user id, ICE servers with TURN credentials. */
  get session(): SessionMessage {
    if (!this.#session) throw new ParleyError('CONNECTION_FAILED', 'no session yet');
    return this.#session;
  }

  get peerId(): string {
    return this.session.peerId;
  }

  get iceServers(): IceServer[] {
    return this.session.iceServers;
  }

  /** Opens the first connection; rejects with the reason-coded error when it cannot. */
  async open(): Promise<void> {
    try {
      await this.#attach(undefined);
    } catch (error) {
      this.#setState('closed');
      throw error;
    }
    this.#setState('connected');
    for (const frame of this.#outbox.drain()) this.#socket?.send(frame);
    this.#startHeartbeat();
    this.#watchNetwork();
  }

  /** Sends a frame now, or queues it while reconnecting. */
  send(message: ClientMessage): void {
    if (this.#state === 'closed') throw new ParleyError('CLIENT_CLOSED');
    const frame = JSON.stringify(message);
    if (this.#state === 'connected' && this.#socket) this.#socket.send(frame);
    else this.#outbox.push(frame);
  }

  /** Sends a request and resolves with its answer (or rejects with the server's error code). */
  request<T extends ServerMessage = ServerMessage>(message: ClientMessage): Promise<T> {
    if (this.#state === 'closed') return Promise.reject(new ParleyError('CLIENT_CLOSED'));
    const { rid, answer } = this.#pending.open<T>();
    this.send({ ...message, rid });
    return answer;
  }

  /** Routes messages of `room` to `sink` (a Room) until the returned function is called. */
  attachRoom(room: string, sink: RoomMessageSink): () => void {
    this.#sinks.set(room, sink);
    return () => {
      if (this.#sinks.get(room) === sink) this.#sinks.delete(room);
    };
  }

  /** Closes the connection for good; the server treats this as leaving every room. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#closeSocket();
    this.#shutDown(new ParleyError('CLIENT_CLOSED'));
  }

  #closeSocket(): void {
    const socket = this.#socket;
    this.#socket = null;
    if (!socket) return;
    detach(socket);
    socket.close(1000, 'client closed');
  }

  // ---- connection lifecycle

  /** Opens a socket and resolves once the server's `session` message arrives. */
  async #attach(resumeToken: string | undefined): Promise<SessionMessage> {
    const token = typeof this.#token === 'function' ? await this.#token() : this.#token;
    const socket = new this.#WebSocket(socketUrl(this.url, token, resumeToken));
    return new Promise<SessionMessage>((resolve, reject) => {
      let errorFrame: ParleyError | null = null;
      const timer = setTimeout(() => fail(new ParleyError('CONNECTION_FAILED', `no session within ${this.#options.connectTimeoutMs} ms`)), this.#options.connectTimeoutMs);
      const fail = (error: ParleyError) => {
        clearTimeout(timer);
        detach(socket);
        socket.close();
        reject(error);
      };
      socket.onmessage = (event: MessageEvent) => {
        const message = parseServerFrame(event.data);
        if (message?.type === 'error') errorFrame = new ParleyError(message.code, message.message, { retryAfterMs: message.retryAfterMs });
        if (message?.type !== 'session') return;
        clearTimeout(timer);
        this.#adopt(socket, message);
        resolve(message);
      };
      // A close before the session: our own close codes say why; otherwise an error frame might.
      socket.onclose = (event: CloseEvent) => {
        const byCode = errorForClose(event.code, event.reason);
        fail(byCode.code === 'CONNECTION_FAILED' && errorFrame ? errorFrame : byCode);
      };
      socket.onerror = () => undefined;
    });
  }

  #adopt(socket: WebSocket, session: SessionMessage): void {
    this.#socket = socket;
    this.#session = session;
    this.#lastFrameAtMs = Date.now();
    socket.onmessage = (event: MessageEvent) => this.#onFrame(event.data);
    socket.onclose = (event: CloseEvent) => this.#onSocketLost(socket, errorForClose(event.code, event.reason));
  }

  #onSocketLost(socket: WebSocket, error: ParleyError): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    detach(socket);
    this.#stopHeartbeat();
    if (this.#state === 'closed') return;
    if (!error.retryable) {
      this.#shutDown(error);
      return;
    }
    void this.#reconnect(error);
  }

  async #reconnect(firstError: ParleyError): Promise<void> {
    this.#setState('reconnecting');
    const droppedAtMs = Date.now();
    let error = firstError;
    for (let attempt = 1; ; attempt++) {
      const delayMs = this.#policy.nextDelayMs({ attempt, elapsedMs: Date.now() - droppedAtMs, error });
      if (delayMs === null) {
        this.#shutDown(error.retryable ? new ParleyError('CONNECTION_LOST', undefined, { cause: error }) : error);
        return;
      }
      this.emit(ClientEvent.Reconnecting, { attempt, delayMs, error });
      await this.#sleepUnlessWoken(delayMs);
      if (this.#isClosed()) return;
      try {
        const previous = this.session;
        const session = await this.#attach(previous.resumeToken);
        // close() may have been called while the socket was opening.
        if (this.#isClosed()) {
          this.#closeSocket();
          return;
        }
        this.#afterReconnect(previous, session);
        return;
      } catch (caught) {
        error = caught instanceof ParleyError ? caught : new ParleyError('CONNECTION_FAILED', undefined, { cause: caught });
      }
    }
  }

  #afterReconnect(previous: SessionMessage, session: SessionMessage): void {
    const resumed = session.resumed && session.peerId === previous.peerId;
    if (resumed) {
      this.#setState('connected');
      for (const frame of this.#outbox.drain()) this.#socket?.send(frame);
      this.emit(ClientEvent.Resumed, { peerId: session.peerId });
    } else {
      // Frames and requests of the old session were addressed to peers that no longer know us.
      this.#outbox.clear();
      this.#pending.rejectAll(new ParleyError('SESSION_LOST'));
      this.#setState('connected');
      this.emit(ClientEvent.SessionRestarted, { previousPeerId: previous.peerId, peerId: session.peerId });
    }
    this.#startHeartbeat();
  }

  #shutDown(error: ParleyError): void {
    this.#stopHeartbeat();
    this.#detachNetwork?.();
    this.#detachNetwork = null;
    this.#wakeReconnect?.();
    this.#outbox.clear();
    this.#pending.rejectAll(error.code === 'CLIENT_CLOSED' ? error : new ParleyError(error.code, error.message, { cause: error }));
    this.#setState('closed');
    this.emit(ClientEvent.Disconnected, { error });
  }

  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit(ClientEvent.State, state);
  }

  // ---- incoming frames

  #onFrame(data: unknown): void {
    this.#lastFrameAtMs = Date.now();
    const message = parseServerFrame(data);
    if (!message) return;
    const route = routeServerMessage(message, (rid) => this.#pending.has(rid));
    switch (route.to) {
      case 'request':
        if (message.type === 'error') this.#pending.reject(route.rid, new ParleyError(message.code, message.message, { retryAfterMs: message.retryAfterMs }));
        else this.#pending.resolve(route.rid, message);
        return;
      case 'room':
        this.#sinks.get(route.room)?.handleServerMessage(message);
        return;
      case 'client':
        this.#onClientMessage(message);
        return;
      case 'ignore':
        return;
    }
  }

  #onClientMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'turn.refresh':
        if (this.#session) this.#session = { ...this.#session, iceServers: message.iceServers, turnExpiresAt: message.turnExpiresAt };
        this.emit(ClientEvent.TurnRefresh, { iceServers: message.iceServers, turnExpiresAt: message.turnExpiresAt });
        return;
      case 'drain':
        // The node is going away: leave now and come back (to another node) after its delay.
        if (this.#socket) {
          const socket = this.#socket;
          socket.close(1000, 'drain');
          this.#onSocketLost(socket, new ParleyError('DRAINING', undefined, { retryAfterMs: message.reconnectInMs }));
        }
        return;
      case 'direct':
        this.emit(ClientEvent.Direct, { fromUser: message.fromUser, fromPeer: message.fromPeer, data: message.data });
        return;
      case 'error':
        this.emit(ClientEvent.Error, new ParleyError(message.code, message.message, { retryAfterMs: message.retryAfterMs }));
        return;
      default:
        return;
    }
  }

  // ---- liveness

  #startHeartbeat(): void {
    this.#stopHeartbeat();
    const { heartbeatIntervalMs, heartbeatTimeoutMs } = this.#options;
    this.#heartbeat = setInterval(() => {
      const socket = this.#socket;
      if (!socket) return;
      // A socket on a dead network can stay "open" for minutes; silence is the only sign.
      if (Date.now() - this.#lastFrameAtMs > heartbeatIntervalMs + heartbeatTimeoutMs) {
        socket.close();
        this.#onSocketLost(socket, new ParleyError('CONNECTION_FAILED', 'heartbeat timeout'));
        return;
      }
      socket.send(JSON.stringify({ type: 'ping' }));
    }, heartbeatIntervalMs);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  #sleepUnlessWoken(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.#wakeReconnect === done) this.#wakeReconnect = null;
        resolve();
      };
      const timer = setTimeout(done, delayMs);
      this.#wakeReconnect = done;
    });
  }

  /** Coming back online skips the backoff wait; any network change is passed on to the meshes. */
  #watchNetwork(): void {
    const target = globalThis as unknown as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>>;
    if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') return;
    const connection = (globalThis.navigator as Navigator & { connection?: EventTarget } | undefined)?.connection;
    const onChange = () => {
      const online = globalThis.navigator?.onLine ?? true;
      if (online) this.#wakeReconnect?.();
      this.emit(ClientEvent.NetworkChanged, { online });
    };
    target.addEventListener('online', onChange);
    connection?.addEventListener('change', onChange);
    this.#detachNetwork = () => {
      target.removeEventListener?.('online', onChange);
      connection?.removeEventListener('change', onChange);
    };
  }
}

function detach(socket: WebSocket): void {
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = null;
}
