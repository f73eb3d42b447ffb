import { performance } from 'node:perf_hooks';
import { ServerMessage, type RemotePeer, type ServerMessageOf } from '@parley/protocol';
import { wsUrlFor, type SignalTarget } from '../target.js';
import { joinText, leaveText, MARKER_PREFIX, parseMarker, pingText } from '../wire.js';
import { LeanWebSocket } from './lean-websocket.js';
import type { Ledger, PairState } from './ledger.js';

/**
 * One simulated peer: a lean WebSocket plus the protocol state a real client keeps (session,
 * rooms and who is in them, pending requests), and the receiving half of delivery tracing.
 *
 * Verification modes:
 *  - `full`: every frame is parsed and validated against the protocol's zod schema; `from`,
 *    `room` and the trace marker of each signal are checked. For the integration tests.
 *  - `fast`: traced signals are recognised by their marker without JSON.parse, and `from` is
 *    checked by searching for its exact bytes; everything else still goes through the full path.
 *    For the benchmark, where the generator's CPU is the measuring instrument.
 */
export type VerifyMode = 'full' | 'fast';

type Session = ServerMessageOf<'session'>;
type RoomJoined = ServerMessageOf<'room.joined'>;

const MARKER_BYTES = Buffer.from(MARKER_PREFIX);
const DOT = 0x2e;
const QUOTE = 0x22;

export function nowUs(): number {
  return Math.floor(performance.now() * 1000);
}

export class RequestFailedError extends Error {
  constructor(
    readonly code: string,
    readonly rid: number,
  ) {
    super(`request ${rid} failed with ${code}`);
    this.name = 'RequestFailedError';
  }
}

export interface SignalPeerOptions {
  target: SignalTarget;
  /** Unique within a run; pairs name their sender and receiver by it. */
  index: number;
  userId: string;
  ledger: Ledger;
  verify: VerifyMode;
  localAddress?: string;
  /** Called after each traced message arrived in order (the closed-loop driver sends the next one). */
  onDelivered?: (pair: PairState) => void;
}

interface PendingRequest {
  resolve(message: ServerMessage): void;
  reject(error: Error): void;
}

/** Events a scenario may want to inspect after the fact. */
export interface PeerEvents {
  peerLeft: { room: string; peerId: string; reason: string }[];
  roomClosed: string[];
  drain: number;
}

export class SignalPeer {
  readonly index: number;
  readonly userId: string;
  session: Session | null = null;
  /** Microseconds from opening the TCP connection to the `session` message (or the 101 for echo). */
  connectUs = Number.NaN;
  /** Room → the remote peers this peer knows to be in it. */
  readonly rooms = new Map<string, Map<string, RemotePeer>>();
  readonly events: PeerEvents = { peerLeft: [], roomClosed: [], drain: 0 };
  closeCode: number | null = null;

  private socket: LeanWebSocket | null = null;
  private nextRid = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private sessionWaiter: PendingRequest | null = null;
  private expectingClose = false;
  /** When the current connection was opened (for diagnosing unexpected closes). */
  private openedAtUs = 0;
  private framesOnConnection = 0;
  private closedWaiters: (() => void)[] = [];

  constructor(private readonly options: SignalPeerOptions) {
    this.index = options.index;
    this.userId = options.userId;
  }

  get peerId(): string {
    if (!this.session) throw new Error(`peer ${this.index} has no session`);
    return this.session.peerId;
  }

  get isOpen(): boolean {
    return this.socket?.isOpen ?? false;
  }

  /** Opens the connection and waits for `session` (resuming when a token is given). */
  async connect(resumeToken?: string): Promise<Session | null> {
    const { target } = this.options;
    const startedUs = nowUs();
    this.closeCode = null;
    this.expectingClose = false;
    this.openedAtUs = startedUs;
    this.framesOnConnection = 0;
    const sessionArrived = target.speaksProtocol
      ? new Promise<ServerMessage>((resolve, reject) => (this.sessionWaiter = { resolve, reject }))
      : null;
    sessionArrived?.catch(() => {});
    this.socket = await LeanWebSocket.connect(
      wsUrlFor(target, this.userId, resumeToken),
      { onText: (payload) => this.onText(payload), onClose: (code, reason) => this.onClose(code, reason) },
      this.options.localAddress ? { localAddress: this.options.localAddress } : {},
    );
    if (sessionArrived === null) {
      this.connectUs = nowUs() - startedUs;
      return null;
    }
    const session = (await withTimeout(sessionArrived, 10_000, `session for peer ${this.index}`)) as Session;
    this.connectUs = nowUs() - startedUs;
    return session;
  }

  /** `room.join`; resolves with `room.joined` and the join latency in µs. */
  async join(room: string): Promise<{ joined: RoomJoined; joinUs: number }> {
    const startedUs = nowUs();
    const rid = this.nextRid++;
    const answer = await this.request(rid, joinText(room, rid));
    if (answer.type !== 'room.joined') throw new Error(`room.join answered with ${answer.type}`);
    return { joined: answer, joinUs: nowUs() - startedUs };
  }

  async leave(room: string): Promise<void> {
    const rid = this.nextRid++;
    await this.request(rid, leaveText(room, rid));
    this.rooms.delete(room);
  }

  async ping(): Promise<void> {
    const rid = this.nextRid++;
    await this.request(rid, pingText(rid));
  }

  /** Sends the next traced message of `pair` (this peer must be its sender), stamped now or at `sentAtUs`. */
  sendSignal(pair: PairState, sentAtUs = nowUs()): void {
    const socket = this.socket;
    if (socket === null) return;
    const seq = pair.sent++;
    const slab = socket.reserve(pair.encoded.frameBytes(seq));
    if (slab !== null) pair.encoded.writeTo(slab, socket.reservedAt, seq, sentAtUs);
  }

  sendRaw(text: string): void {
    this.socket?.send(text);
  }

  /** Drops the TCP connection without a close frame, as a network blip would. */
  drop(): void {
    this.expectingClose = true;
    this.socket?.destroy();
  }

  /** Closes cleanly and waits until the connection is gone. */
  async close(): Promise<void> {
    if (!this.socket || !this.socket.isOpen) return;
    this.expectingClose = true;
    const closed = new Promise<void>((resolve) => this.closedWaiters.push(resolve));
    this.socket.close(1000);
    await withTimeout(closed, 5_000, `close of peer ${this.index}`).catch(() => this.socket?.destroy());
  }

  private request(rid: number, text: string): Promise<ServerMessage> {
    if (!this.socket?.isOpen) return Promise.reject(new Error(`peer ${this.index} is not connected`));
    const answer = new Promise<ServerMessage>((resolve, reject) => this.pending.set(rid, { resolve, reject }));
    this.socket.send(text);
    return withTimeout(answer, 10_000, `answer to request ${rid} of peer ${this.index}`).finally(() => this.pending.delete(rid));
  }

  private onText(payload: Buffer): void {
    this.framesOnConnection++;
    if (this.options.verify === 'fast' || !this.options.target.speaksProtocol) {
      const markerAt = payload.indexOf(MARKER_BYTES);
      if (markerAt >= 0 && this.fastSignal(payload, markerAt + MARKER_BYTES.length)) return;
    }
    this.fullMessage(payload.toString('utf8'));
  }

  /** Reads `<sender>.<seq>.<µs>"` at `position` with no allocation; false if it is not a marker after all. */
  private fastSignal(payload: Buffer, position: number): boolean {
    const length = payload.length;
    let pairId = 0;
    let seq = 0;
    let sentAtUs = 0;
    let field = 0;
    let digits = 0;
    for (; position < length; position++) {
      const byte = payload[position]!;
      if (byte >= 0x30 && byte <= 0x39) {
        const digit = byte - 0x30;
        if (field === 0) pairId = pairId * 10 + digit;
        else if (field === 1) seq = seq * 10 + digit;
        else sentAtUs = sentAtUs * 10 + digit;
        digits++;
      } else if (byte === DOT && field < 2 && digits > 0) {
        field++;
        digits = 0;
      } else if (byte === QUOTE && field === 2 && digits > 0) {
        break;
      } else {
        return false;
      }
    }
    if (position >= length) return false;
    const pair = this.options.ledger.pairs[pairId];
    if (pair === undefined || pair.receiverIndex !== this.index) {
      this.options.ledger.problems.add('unknown_sender', `peer ${this.index} got a message of pair ${pairId}, not addressed to it`);
      return true;
    }
    if (pair.fromNeedle !== null && payload.indexOf(pair.fromNeedle) < 0) {
      this.options.ledger.problems.add('wrong_from', `peer ${this.index} got seq ${seq} of pair ${pairId} without from=${pair.fromPeerId}`);
      return true;
    }
    this.options.ledger.arrived(pair, seq, nowUs() - sentAtUs);
    this.options.onDelivered?.(pair);
    return true;
  }

  private fullMessage(text: string): void {
    const { ledger } = this.options;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      ledger.problems.add('invalid_message', `peer ${this.index} got a frame that is not JSON: ${text.slice(0, 80)}`);
      return;
    }
    const parsed = ServerMessage.safeParse(raw);
    if (!parsed.success) {
      ledger.problems.add('invalid_message', `peer ${this.index} got a frame outside the protocol: ${text.slice(0, 120)}`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'session':
        this.session = message;
        this.sessionWaiter?.resolve(message);
        this.sessionWaiter = null;
        return;
      case 'room.joined':
        this.rooms.set(message.room, new Map(message.peers.map((peer) => [peer.peerId as string, peer])));
        return this.answer(message.rid, message);
      case 'room.left':
      case 'pong':
        return this.answer(message.rid, message);
      case 'ack':
        return this.answer(message.rid, message);
      case 'peer.joined': {
        const room = this.rooms.get(message.room);
        if (!room) ledger.problems.add('unexpected_message', `peer ${this.index} told of a join to ${message.room}, which it is not in`);
        else room.set(message.peer.peerId, message.peer);
        return;
      }
      case 'peer.left':
        this.rooms.get(message.room)?.delete(message.peerId);
        this.events.peerLeft.push({ room: message.room, peerId: message.peerId, reason: message.reason });
        return;
      case 'signal':
        return this.fullSignal(message.room, message.from, text);
      case 'error': {
        const waiter = typeof message.rid === 'number' ? this.pending.get(message.rid) : undefined;
        if (waiter && typeof message.rid === 'number') waiter.reject(new RequestFailedError(message.code, message.rid));
        else ledger.problems.add('error_frame', `peer ${this.index} got error ${message.code}`);
        return;
      }
      case 'room.closed':
        this.rooms.delete(message.room);
        this.events.roomClosed.push(message.room);
        return;
      case 'drain':
        this.events.drain++;
        return;
      default:
        // room.broadcast, room.state, direct, turn.refresh: valid, but no scenario here traces them.
        return;
    }
  }

  private fullSignal(room: string, from: string, text: string): void {
    const { ledger } = this.options;
    const marker = parseMarker(text);
    if (!marker) return ledger.problems.add('unexpected_message', `peer ${this.index} got an untraced signal from ${from}`);
    const pair = ledger.pairs[marker.pairId];
    if (!pair || pair.receiverIndex !== this.index) {
      return ledger.problems.add('unknown_sender', `peer ${this.index} got a message of pair ${marker.pairId}, not addressed to it`);
    }
    if (pair.fromPeerId !== null && from !== pair.fromPeerId) {
      return ledger.problems.add('wrong_from', `peer ${this.index} got from=${from}, expected ${pair.fromPeerId}`);
    }
    if (!this.rooms.has(room)) return ledger.problems.add('unexpected_message', `peer ${this.index} got a signal in ${room}, which it is not in`);
    ledger.arrived(pair, marker.seq, nowUs() - marker.sentAtUs);
    this.options.onDelivered?.(pair);
  }

  private answer(rid: unknown, message: ServerMessage): void {
    if (typeof rid !== 'number') return;
    const waiter = this.pending.get(rid);
    if (waiter) waiter.resolve(message);
    else this.options.ledger.problems.add('unexpected_message', `peer ${this.index} got an answer to unknown request ${rid}`);
  }

  private onClose(code: number, reason: string): void {
    this.closeCode = code;
    const error = new Error(`peer ${this.index} connection closed (${code}${reason ? ` ${reason}` : ''})`);
    this.sessionWaiter?.reject(error);
    this.sessionWaiter = null;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    if (!this.expectingClose) {
      const afterMs = Math.round((nowUs() - this.openedAtUs) / 1000);
      this.options.ledger.problems.add(
        'connection_lost',
        `peer ${this.index} closed with ${code}${reason ? ` ${reason}` : ''} ${afterMs} ms after connecting, after ${this.framesOnConnection} frames`,
      );
    }
    for (const resolve of this.closedWaiters.splice(0)) resolve();
  }
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
