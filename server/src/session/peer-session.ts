import { ERRORS, type ErrorCode, type Grants, type PeerLeftReason, type RequestId, type RoomClosedReason } from '@parley/protocol';
import type { Logger } from '@parley/runtime';
import type { PeerEndpoint } from '../cluster/index.js';
import { sessionLogger } from '../observability/index.js';
import type { TokenBucket, UserLimits } from '../ratelimit/index.js';
import type { Queueable } from '../time/index.js';
import type { TimerHandle } from '../time/clock.js';
import type { DecodedMessage } from '../wire/decode.js';
import { ackFrame, errorFrame, signalHead } from '../wire/encode.js';
import type { Frame, Utf8Bytes } from '../wire/frame.js';
import type { PeerSocket } from './peer-socket.js';
import { ReplayLog } from './replay-log.js';
import { RoomList } from './room-list.js';

/**
 * Why a session ended, for metrics and logs; each maps to the reason its rooms are told.
 *  left: the client closed normally (1000) · dropped: the connection died and resuming is off ·
 *  timeout: resume grace lapsed · kicked: admin ·
 *  abuse / slow_consumer / buffer_overflow: closed by a limit · drain / shutdown: node going away
 */
export type SessionEndReason = 'left' | 'dropped' | 'timeout' | 'kicked' | 'abuse' | 'slow_consumer' | 'buffer_overflow' | 'drain' | 'shutdown';

export const PEER_LEFT_REASON: Record<SessionEndReason, PeerLeftReason> = {
  left: 'left',
  dropped: 'disconnected',
  timeout: 'timeout',
  kicked: 'kicked',
  abuse: 'disconnected',
  slow_consumer: 'disconnected',
  buffer_overflow: 'disconnected',
  drain: 'disconnected',
  shutdown: 'disconnected',
};

const NO_USERNAMES: readonly string[] = [];

export type SessionState = 'connected' | 'detached' | 'ended';

export interface SessionIdentity {
  peerId: string;
  userId: string;
  grants: Readonly<Grants>;
  /** Unix epoch seconds when the access token expires. */
  tokenExpiresAt: number;
}

/** What a session needs from its manager; kept narrow so the session stays a state holder. */
export interface SessionOwner {
  /** Called when delivery fails so badly that the session must end (slow consumer, overflow). */
  endSession(session: PeerSession, reason: SessionEndReason): void;
  countDelivered(): void;
}

export interface BufferLimits {
  maxMessages: number;
  maxBytes: number;
  replayFrames: number;
  replayBytes: number;
}

/**
 * One peer's session: identity, rooms, the socket it is currently reachable on (none while it
 * may still resume), and the frames buffered for it meanwhile. It is the peer's endpoint in the
 * cluster, so every frame for this peer passes through `deliver`.
 */
export class PeerSession implements PeerEndpoint, Queueable {
  readonly peerId: string;
  readonly userId: string;
  readonly grants: Readonly<Grants>;
  readonly tokenExpiresAt: number;
  private logger: Logger | undefined;
  readonly rooms = new RoomList();
  state: SessionState = 'connected';
  socket: PeerSocket | null;
  /** Unix ms when the current (or last) connection of this session opened. */
  connectedSinceMs: number;
  resumeToken: string;
  /** Frames waiting for a resume, oldest first (made when the first one comes). */
  private buffer: Frame[] | null = null;
  /** Frames written to sockets, numbered (the `session` frames excluded), for lossless resume. */
  readonly written: ReplayLog;
  private bufferBytes = 0;
  graceTimer: TimerHandle | undefined;
  /** Position in the session manager's TURN refresh queue (-1: no refresh due). */
  deadlineIndex = -1;
  /** TURN usernames handed to this session (for revocation on kick), newest last, at most 4. */
  turnUsernames: readonly string[] = NO_USERNAMES;
  /**
   * Allowance for refused messages before the connection counts as abusive; made when the
   * session is first refused (most never are), which is the same as a full bucket made earlier.
   */
  strikes: TokenBucket | undefined;
  /** Validated messages waiting while an asynchronous handler (a join) runs: order is kept. */
  queue: { message: DecodedMessage; rid: RequestId | undefined; opaque: Utf8Bytes }[] | null = null;
  /** The room of `lastSignalHead`: a peer signals in one room at a time, so one cached head does. */
  private lastSignalRoom: string | undefined;
  private lastSignalHead: Buffer | undefined;

  constructor(
    identity: SessionIdentity,
    socket: PeerSocket,
    resumeToken: string,
    readonly limits: UserLimits,
    nowMs: number,
    /** Shared by all sessions of a manager. */
    private readonly bufferLimits: Readonly<BufferLimits>,
    private readonly owner: SessionOwner,
    private readonly parentLog: Logger,
  ) {
    this.peerId = identity.peerId;
    this.userId = identity.userId;
    this.grants = identity.grants;
    this.tokenExpiresAt = identity.tokenExpiresAt;
    this.socket = socket;
    this.connectedSinceMs = nowMs;
    this.resumeToken = resumeToken;
    this.written = new ReplayLog(bufferLimits.replayFrames, bufferLimits.replayBytes);
  }

  /** This session's child logger, made on first use (most sessions never log: it would cost memory per connection). */
  get log(): Logger {
    this.logger ??= sessionLogger(this.parentLog, this.peerId, this.userId);
    return this.logger;
  }

  /** Logs a lifecycle step at debug level, without making the child logger when debug is off. */
  debug(fields: Record<string, unknown>, message: string): void {
    if (this.parentLog.isLevelEnabled('debug')) this.log.debug(fields, message);
  }

  /** The bytes of this peer's `signal` frames in `room` up to the payload, built on its first signal there. */
  signalHead(room: string): Buffer {
    if (room !== this.lastSignalRoom || this.lastSignalHead === undefined) {
      this.lastSignalHead = signalHead(room, this.peerId);
      this.lastSignalRoom = room;
    }
    return this.lastSignalHead;
  }

  /** PeerEndpoint: send now, or keep for the resume; a frame is never silently lost. */
  deliver(frame: Frame): void {
    if (this.state === 'connected' && this.socket) {
      const outcome = this.socket.send(frame);
      this.written.append(frame);
      this.owner.countDelivered();
      if (outcome === 'dropped') this.owner.endSession(this, 'slow_consumer');
      return;
    }
    if (this.state !== 'detached') return;
    if (this.bufferedCount >= this.bufferLimits.maxMessages || this.bufferBytes + frame.length > this.bufferLimits.maxBytes) {
      // The peer would resume with a gap: end it instead, so its client starts afresh.
      this.owner.endSession(this, 'buffer_overflow');
      return;
    }
    (this.buffer ??= []).push(frame);
    this.bufferBytes += frame.length;
  }

  /** PeerEndpoint: the room closed; `room.closed` was delivered already. */
  roomClosed(room: string, _reason: RoomClosedReason): void {
    this.rooms.delete(room);
  }

  /** A direct answer to this session's own request. */
  reply(frame: Frame): void {
    this.deliver(frame);
  }

  ack(rid: RequestId | undefined): void {
    if (rid !== undefined) this.deliver(ackFrame(rid));
  }

  error(code: ErrorCode, rid: RequestId | undefined, message?: string, retryAfterMs?: number): void {
    this.deliver(errorFrame(code, rid, message, retryAfterMs));
  }

  /**
   * Writes a frame that is not part of the numbered stream: the `session` frame of each
   * connection, and frames replayed after a resume (they were numbered when first written).
   */
  writeUnnumbered(frame: Frame): void {
    if (this.state !== 'connected' || !this.socket) return;
    if (this.socket.send(frame) === 'dropped') this.owner.endSession(this, 'slow_consumer');
  }

  /** Takes the frames buffered while detached, oldest first, and empties the buffer. */
  takeBuffered(): Frame[] {
    const frames = this.buffer ?? [];
    this.buffer = null;
    this.bufferBytes = 0;
    return frames;
  }

  get bufferedCount(): number {
    return this.buffer === null ? 0 : this.buffer.length;
  }

  /** Closes the current socket with an error code from the table. */
  closeSocket(code: ErrorCode): void {
    const socket = this.socket;
    this.socket = null;
    const closeCode = ERRORS[code].wsCloseCode ?? 1000;
    socket?.close(closeCode, code);
  }
}
