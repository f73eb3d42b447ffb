import { randomBytes } from 'node:crypto';
import { ERRORS, type ErrorCode, type RequestId, type ServerMessageOf } from '@parley/protocol';
import type { Logger } from '@parley/runtime';
import type { TurnIssuer, VerifiedToken } from '../auth/index.js';
import type { Cluster } from '../cluster/index.js';
import type { SignalConfig } from '../config/index.js';
import type { SignalMetrics } from '../observability/index.js';
import { TokenBucket, UserLimitsRegistry } from '../ratelimit/index.js';
import { DeadlineQueue } from '../time/index.js';
import type { Clock } from '../time/clock.js';
import { decodeClientBytes, type DecodedMessage } from '../wire/decode.js';
import { drainFrame, encode, errorFrame, turnRefreshFrame } from '../wire/encode.js';
import type { Frame, Utf8Bytes } from '../wire/frame.js';
import { DISPATCH_TABLE } from './handlers/dispatch-table.js';
import type { Handler, SessionServices } from './handlers/handler.js';
import { PEER_LEFT_REASON, PeerSession, type BufferLimits, type SessionEndReason, type SessionOwner } from './peer-session.js';
import type { PeerSocket } from './peer-socket.js';

/** WebSocket close code of a normal closure (RFC 6455 §7.4.1). */
const NORMAL_CLOSURE = 1000;
/**
 * Close codes that mean the client chose to leave, so there is nothing to resume: 1000 normal
 * closure, 1001 going away (page unload), 1005 a close frame without a code (RFC 6455 §7.4.1).
 * A dropped network shows as 1006 (no close frame) and gets the resume grace period.
 */
const DELIBERATE_CLOSE_CODES = new Set([1000, 1001, 1005]);

export interface SessionManagerDeps {
  config: Readonly<SignalConfig>;
  clock: Clock;
  cluster: Cluster;
  metrics: SignalMetrics;
  turn: TurnIssuer;
  logger: Logger;
}

/** A connection admitted past the per-user and per-IP limits; `release` gives its slots back. */
export interface Admission {
  release(): void;
}

export type AdmissionResult = { ok: true; admission: Admission } | { ok: false; code: ErrorCode };

/** A resume token matched to a session, held between the upgrade and the socket opening. */
export interface ResumeClaim {
  session: PeerSession | undefined;
  /** True when a resume token was presented at all. */
  requested: boolean;
  /**
   * How many frames (other than `session`) the client received from this session, when it says
   * (`?received=`); the frames written after those to the old connection are sent again.
   */
  received?: number | undefined;
}

const RESUME_TOKEN_BYTES = 24;

/**
 * Owns every session of this node: admits connections, opens and resumes sessions, runs each
 * frame through size check → decode → per-user limits → dispatch table, detaches sessions whose
 * socket dropped (buffering for them), and ends them (leaving their rooms) when they are done.
 */
export class SessionManager implements SessionOwner {
  private readonly sessions = new Map<string, PeerSession>();
  private readonly limits: UserLimitsRegistry;
  private readonly services: SessionServices;
  private draining = false;
  private readonly idleWaiters = new Set<() => void>();
  private readonly bufferLimits: Readonly<BufferLimits>;
  /** Sessions by when their TURN credentials are to be refreshed: one timer for all of them. */
  private readonly turnRefresh: DeadlineQueue<PeerSession>;

  constructor(private readonly deps: SessionManagerDeps) {
    const { config } = deps;
    this.bufferLimits = Object.freeze({
      maxMessages: config.session.resumeBufferMessages,
      maxBytes: config.session.resumeBufferBytes,
      replayFrames: config.session.replayFrames,
      replayBytes: config.session.replayBytes,
    });
    this.turnRefresh = new DeadlineQueue(deps.clock, (session) => this.refreshTurn(session));
    this.limits = new UserLimitsRegistry({
      messagesPerSecond: config.limits.messagesPerSecond,
      messagesBurst: config.limits.messagesBurst,
      bytesPerSecond: config.limits.bytesPerSecond,
      bytesBurst: config.limits.bytesBurst,
      joinsPerMinute: config.limits.joinsPerMinute,
    });
    this.services = {
      config,
      clock: deps.clock,
      cluster: deps.cluster,
      metrics: deps.metrics,
      isDraining: () => this.draining,
    };
  }

  // ---- admission (runs in the HTTP upgrade, before the socket exists)

  async admit(token: VerifiedToken, remoteAddress: string): Promise<AdmissionResult> {
    const { cluster, config } = this.deps;
    const userLimit = Math.min(config.limits.connectionsPerUser, token.grants.maxConnections ?? Number.POSITIVE_INFINITY);
    if (!(await cluster.acquireSlot(userSlotKey(token.userId), userLimit))) return { ok: false, code: 'TOO_MANY_CONNECTIONS' };
    if (!(await cluster.acquireSlot(ipSlotKey(remoteAddress), config.limits.connectionsPerIp))) {
      await cluster.releaseSlot(userSlotKey(token.userId));
      return { ok: false, code: 'TOO_MANY_CONNECTIONS' };
    }
    return { ok: true, admission: new SlotAdmission(cluster, token.userId, remoteAddress) };
  }

  /** Looks a resume token up and reserves its session for the connection being upgraded. */
  async claimResume(resumeToken: string | undefined, userId: string, received?: number): Promise<ResumeClaim> {
    if (!resumeToken) return NO_RESUME;
    const record = await this.deps.cluster.takeResume(resumeToken);
    const session = record ? this.sessions.get(record.peerId) : undefined;
    if (!record || !session || session.state === 'ended' || record.nodeId !== this.deps.cluster.nodeId) {
      return { session: undefined, requested: true };
    }
    if (record.userId !== userId) {
      // Someone else's token: put the record back for its owner and treat this as a miss.
      await this.deps.cluster.saveResume(resumeToken, record, this.deps.config.session.resumeGraceMs);
      return { session: undefined, requested: true };
    }
    return { session, requested: true, received };
  }

  /** Gives a claimed resume back when the upgrade was aborted before the socket opened. */
  unclaimResume(claim: ResumeClaim): void {
    const session = claim.session;
    if (!session || session.state === 'ended') return;
    void this.deps.cluster.saveResume(session.resumeToken, { peerId: session.peerId, userId: session.userId, nodeId: this.deps.cluster.nodeId }, this.deps.config.session.resumeGraceMs);
  }

  // ---- opening

  /** A socket opened for a verified token: resume the claimed session or start a new one. */
  open(socket: PeerSocket, token: VerifiedToken, claim: ResumeClaim): PeerSession | null {
    if (this.draining) {
      socket.send(drainFrame(this.deps.config.drain.reconnectInMs));
      socket.send(errorFrame('DRAINING', undefined));
      socket.close(ERRORS.DRAINING.wsCloseCode, 'DRAINING');
      this.deps.metrics.connectionsTotal.labels('rejected', 'DRAINING').inc();
      return null;
    }
    this.deps.metrics.connectionsTotal.labels('accepted', 'none').inc();
    if (claim.session && claim.session.state !== 'ended') {
      const missed = claim.received === undefined ? [] : claim.session.written.since(claim.received);
      if (missed) return this.resume(claim.session, socket, missed);
      // The client missed frames we no longer have: resuming would leave a gap. Start afresh.
      this.endSession(claim.session, 'dropped');
    }
    const session = this.create(socket, token);
    if (claim.requested) {
      this.deps.metrics.resumes.labels('failed').inc();
      session.error('RESUME_FAILED', undefined, 'the resume token is unknown or its grace period lapsed');
    }
    return session;
  }

  private create(socket: PeerSocket, token: VerifiedToken): PeerSession {
    const { clock, cluster } = this.deps;
    const peerId = `p_${randomBytes(9).toString('base64url')}`;
    const now = clock.now();
    const session = new PeerSession(
      { peerId, userId: token.userId, grants: token.grants, tokenExpiresAt: token.expiresAt },
      socket,
      newResumeToken(),
      this.limits.acquire(token.userId, now),
      now,
      this.bufferLimits,
      this,
      this.deps.logger,
    );
    this.sessions.set(peerId, session);
    cluster.attach(session);
    this.rememberResumeToken(session, SESSION_LIFETIME_MS);
    socket.cork(() => this.sendSession(session, false));
    session.debug({ remoteAddress: socket.remoteAddress }, 'session started');
    return session;
  }

  private resume(session: PeerSession, socket: PeerSocket, missed: readonly Frame[]): PeerSession {
    session.graceTimer?.cancel();
    session.graceTimer = undefined;
    if (session.socket && session.socket !== socket) {
      // The client reconnected before we noticed its old connection die: retire the old one.
      const old = session.socket;
      session.socket = null;
      old.close(ERRORS.SESSION_REPLACED.wsCloseCode, 'SESSION_REPLACED');
    }
    session.socket = socket;
    session.state = 'connected';
    session.connectedSinceMs = this.deps.clock.now();
    session.resumeToken = newResumeToken();
    this.rememberResumeToken(session, SESSION_LIFETIME_MS);
    const buffered = session.takeBuffered();
    socket.cork(() => {
      this.sendSession(session, true);
      for (const frame of missed) session.writeUnnumbered(frame);
      for (const frame of buffered) session.deliver(frame);
    });
    this.deps.metrics.resumes.labels('resumed').inc();
    session.debug({ buffered: buffered.length, replayed: missed.length }, 'session resumed');
    return session;
  }

  private sendSession(session: PeerSession, resumed: boolean): void {
    const ice = this.issueIceServers(session, 'session');
    const message: ServerMessageOf<'session'> = {
      type: 'session',
      peerId: session.peerId as ServerMessageOf<'session'>['peerId'],
      userId: session.userId as ServerMessageOf<'session'>['userId'],
      resumeToken: session.resumeToken,
      resumeGraceMs: this.deps.config.session.resumeGraceMs,
      resumed,
      rooms: [...session.rooms] as ServerMessageOf<'session'>['rooms'],
      iceServers: ice.iceServers,
      turnExpiresAt: ice.expiresAt,
    };
    session.writeUnnumbered(encode(message));
  }

  private issueIceServers(session: PeerSession, via: 'session' | 'refresh') {
    const { turn, config, clock, metrics } = this.deps;
    const ice = turn.issue({ userId: session.userId, sessionTag: session.peerId });
    this.turnRefresh.remove(session);
    if (ice.username) {
      metrics.turnCredentials.labels(via).inc();
      // A new exact-size array each time (rare): a pushed-to or spread array reserves room for 17.
      session.turnUsernames = session.turnUsernames.slice(-3).concat(ice.username);
      // Refresh ahead of expiry; with a TTL shorter than the lead time, at half-life.
      const expiresAtMs = ice.expiresAt * 1000;
      const refreshAtMs = Math.max(expiresAtMs - config.turn.refreshBeforeExpirySeconds * 1000, clock.now() + (ice.ttlSeconds * 1000) / 2);
      this.turnRefresh.schedule(session, refreshAtMs);
    }
    return ice;
  }

  private refreshTurn(session: PeerSession): void {
    // A detached session gets fresh credentials in the `session` message of its resume.
    if (session.state !== 'connected') return;
    const ice = this.issueIceServers(session, 'refresh');
    session.deliver(turnRefreshFrame(ice.iceServers, ice.expiresAt));
  }

  // ---- frames

  /**
   * One text or binary frame from a session's socket. `frame` may be a view of uWS's buffer: it
   * is read during this call only (decoding copies what is kept). Size is checked before any
   * parsing.
   */
  onFrame(session: PeerSession, frame: Buffer, isBinary: boolean): void {
    if (session.state !== 'connected') return;
    const { config, metrics } = this.deps;
    const byteLength = frame.length;
    if (isBinary) {
      metrics.countReceived('invalid', byteLength);
      if (this.charge(session, byteLength, undefined)) session.error('BINARY_NOT_SUPPORTED', undefined);
      return;
    }
    if (byteLength > config.ws.maxMessageBytes) {
      metrics.countReceived('invalid', byteLength);
      if (this.charge(session, byteLength, undefined)) {
        session.error('MESSAGE_TOO_LARGE', undefined, `messages are limited to ${config.ws.maxMessageBytes} bytes`);
      }
      return;
    }
    const decoded = decodeClientBytes(frame);
    if (!this.charge(session, byteLength, decoded.rid)) {
      metrics.countReceived(decoded.ok ? decoded.message.type : 'invalid', byteLength);
      return;
    }
    if (!decoded.ok) {
      metrics.countReceived('invalid', byteLength);
      metrics.countError(decoded.code);
      session.error(decoded.code, decoded.rid, decoded.reason);
      return;
    }
    metrics.countReceived(decoded.message.type, byteLength);
    this.dispatch(session, decoded.message, decoded.rid, decoded.opaque);
  }

  /** Charges the per-user limits; answers RATE_LIMITED and counts a strike when over. */
  private charge(session: PeerSession, byteLength: number, rid: RequestId | undefined): boolean {
    const now = this.deps.clock.now();
    const verdict = session.limits.chargeMessage(now, byteLength);
    if (verdict.ok) return true;
    this.deps.metrics.countRateLimited(verdict.limit);
    this.deps.metrics.countError('RATE_LIMITED');
    const { abuseStrikes, abuseStrikesPerSecond } = this.deps.config.limits;
    session.strikes ??= new TokenBucket(abuseStrikes, abuseStrikesPerSecond, now);
    if (!session.strikes.tryTake(now)) {
      session.log.info({ limit: verdict.limit }, 'closing abusive connection');
      this.endSession(session, 'abuse');
      return false;
    }
    session.error('RATE_LIMITED', rid, `${verdict.limit} limit exceeded`, verdict.retryAfterMs);
    return false;
  }

  private dispatch(session: PeerSession, message: DecodedMessage, rid: RequestId | undefined, opaque: Utf8Bytes): void {
    if (session.queue) {
      session.queue.push({ message, rid, opaque });
      return;
    }
    const pending = this.run(session, message, rid, opaque);
    if (pending) {
      session.queue = [];
      void pending.then(() => this.drainQueue(session));
    }
  }

  private async drainQueue(session: PeerSession): Promise<void> {
    for (;;) {
      const next = session.queue?.shift();
      if (!next) break;
      if (session.state === 'ended') continue;
      const pending = this.run(session, next.message, next.rid, next.opaque);
      if (pending) await pending;
    }
    session.queue = null;
  }

  /** Runs one handler; returns a promise only when the handler is asynchronous. Never throws. */
  private run(session: PeerSession, message: DecodedMessage, rid: RequestId | undefined, opaque: Utf8Bytes): Promise<void> | undefined {
    const handler = DISPATCH_TABLE[message.type] as Handler<typeof message.type>;
    try {
      const result = handler(session, message as never, rid, this.services, opaque);
      if (result instanceof Promise) return result.catch((error: unknown) => this.handlerFailed(session, message, rid, error));
    } catch (error) {
      this.handlerFailed(session, message, rid, error);
    }
    return undefined;
  }

  private handlerFailed(session: PeerSession, message: DecodedMessage, rid: RequestId | undefined, error: unknown): void {
    session.log.error({ err: error, type: message.type }, 'message handler failed');
    this.deps.metrics.countError('INTERNAL');
    session.error('INTERNAL', rid);
  }

  // ---- closing

  /** The socket closed (by the client, the network, or us). */
  socketClosed(session: PeerSession, socket: PeerSocket, code: number): void {
    if (session.socket !== socket || session.state !== 'connected') return;
    session.socket = null;
    const graceMs = this.deps.config.session.resumeGraceMs;
    const deliberate = DELIBERATE_CLOSE_CODES.has(code);
    if (deliberate || graceMs === 0 || this.draining) {
      this.endSession(session, deliberate ? 'left' : this.draining ? 'drain' : 'dropped');
      return;
    }
    session.state = 'detached';
    this.rememberResumeToken(session, graceMs);
    session.graceTimer = this.deps.clock.setTimer(graceMs, () => this.endSession(session, 'timeout'));
    this.turnRefresh.remove(session);
    session.debug({ code }, 'session detached');
  }

  /** Ends a session for good: its rooms hear `peer.left`, its socket (if any) is closed. */
  endSession(session: PeerSession, reason: SessionEndReason): void {
    if (session.state === 'ended') return;
    session.state = 'ended';
    session.graceTimer?.cancel();
    this.turnRefresh.remove(session);
    const closeWith: ErrorCode | null =
      reason === 'kicked' ? 'KICKED' : reason === 'abuse' ? 'ABUSE' : reason === 'slow_consumer' ? 'SLOW_CONSUMER' : reason === 'drain' || reason === 'shutdown' ? 'DRAINING' : null;
    if (session.socket) {
      if (closeWith) session.closeSocket(closeWith);
      else {
        const socket = session.socket;
        session.socket = null;
        socket.close(NORMAL_CLOSURE, 'session ended');
      }
    }
    const { cluster } = this.deps;
    cluster.detach(session.peerId);
    void cluster.dropResume(session.resumeToken);
    const leftReason = PEER_LEFT_REASON[reason];
    for (const room of session.rooms) void cluster.leaveRoom(room, session.peerId, leftReason);
    session.rooms.clear();
    session.takeBuffered();
    this.sessions.delete(session.peerId);
    this.limits.release(session.userId);
    this.deps.metrics.sessionsEnded.labels(reason).inc();
    session.debug({ reason }, 'session ended');
    if (this.sessions.size === 0) for (const wake of [...this.idleWaiters]) wake();
  }

  countDelivered(): void {
    this.deps.metrics.hot.delivered++;
  }

  // ---- administration

  session(peerId: string): PeerSession | undefined {
    return this.sessions.get(peerId);
  }

  /** Ends a peer's session with KICKED; false when there is no such session. */
  kick(peerId: string): PeerSession | undefined {
    const session = this.sessions.get(peerId);
    if (!session) return undefined;
    this.endSession(session, 'kicked');
    return session;
  }

  get size(): number {
    return this.sessions.size;
  }

  counts(): { connected: number; detached: number } {
    let connected = 0;
    let detached = 0;
    for (const session of this.sessions.values()) {
      if (session.state === 'connected') connected++;
      else if (session.state === 'detached') detached++;
    }
    return { connected, detached };
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /**
   * Tells every connected peer to reconnect elsewhere; new sessions and joins are refused from
   * now. Sessions waiting for a resume end now: a draining node accepts no new connection, so
   * they could never resume here.
   */
  startDrain(): void {
    if (this.draining) return;
    this.draining = true;
    const frame = drainFrame(this.deps.config.drain.reconnectInMs);
    for (const session of [...this.sessions.values()]) {
      if (session.state === 'connected') session.deliver(frame);
      else if (session.state === 'detached') this.endSession(session, 'drain');
    }
  }

  /** Resolves when no session is left, or after `timeoutMs` (returns whether it emptied). */
  waitUntilEmpty(timeoutMs: number): Promise<boolean> {
    if (this.sessions.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = this.deps.clock.setTimer(timeoutMs, () => {
        this.idleWaiters.delete(wake);
        resolve(this.sessions.size === 0);
      });
      const wake = () => {
        timer.cancel();
        this.idleWaiters.delete(wake);
        resolve(true);
      };
      this.idleWaiters.add(wake);
    });
  }

  /** Ends every session (shutdown). */
  endAll(reason: SessionEndReason): void {
    for (const session of [...this.sessions.values()]) this.endSession(session, reason);
  }

  private rememberResumeToken(session: PeerSession, ttlMs: number): void {
    void this.deps.cluster.saveResume(session.resumeToken, { peerId: session.peerId, userId: session.userId, nodeId: this.deps.cluster.nodeId }, ttlMs);
  }
}

const NO_RESUME: ResumeClaim = Object.freeze({ session: undefined, requested: false });

/**
 * Cluster counter keys of the connection limits. Made again on release rather than kept: each
 * connection holds on to its admission, and the strings would cost it ~100 bytes.
 */
function userSlotKey(userId: string): string {
  return `conn:user:${userId}`;
}

function ipSlotKey(remoteAddress: string): string {
  return `conn:ip:${remoteAddress}`;
}

/** The two connection-limit slots one connection holds; released once. */
class SlotAdmission implements Admission {
  private released = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly userId: string,
    private readonly remoteAddress: string,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    void this.cluster.releaseSlot(userSlotKey(this.userId));
    void this.cluster.releaseSlot(ipSlotKey(this.remoteAddress));
  }
}

/** A connected session's resume token stays valid as long as the session lives. */
const SESSION_LIFETIME_MS = 7 * 86_400_000;

function newResumeToken(): string {
  return randomBytes(RESUME_TOKEN_BYTES).toString('base64url');
}
