import type { WebSocket } from 'uWebSockets.js';
import type { PeerSocket, SendOutcome } from '../session/peer-socket.js';
import type { Frame } from '../wire/frame.js';

/** uWS `send` results: 1 sent, 0 buffered under backpressure, 2 dropped over maxBackpressure. */
const SEND_DROPPED = 2;

/**
 * Sockets with frames waiting, written together once per event-loop iteration.
 *
 * uWS corks only the socket whose message it is handling; a frame relayed to another peer would
 * otherwise cost a write syscall of its own (on loopback the kernel also delivers it inside that
 * call), which was most of the broker's CPU under load (docs/benchmarks.md). Queued here, every
 * frame a socket receives during one iteration leaves in one corked write, in order, in the
 * loop's check phase after all reads of the iteration were handled.
 */
const awaitingFlush: UwsPeerSocket<unknown>[] = [];
let flushScheduled = false;

/**
 * A socket's queue is written at once when it reaches this size: a burst for one client then
 * flows into the kernel as it builds up instead of counting as backpressure, and each write still
 * carries many frames.
 */
const FLUSH_AT_BYTES = 16 * 1024;

function flushAll(): void {
  flushScheduled = false;
  // A flush can end a session, whose rooms are then told: sockets added meanwhile are flushed too.
  for (let index = 0; index < awaitingFlush.length; index++) awaitingFlush[index]!.flush();
  awaitingFlush.length = 0;
}

/**
 * What `sendCorkedFrames` writes: set just before the (synchronous) cork call, so no closure is
 * made per write and none is kept per socket.
 */
const NO_FRAMES: Frame[] = [];
let corkedSocket: WebSocket<unknown> | null = null;
let corkedFrames: Frame[] = NO_FRAMES;

function sendCorkedFrames(): void {
  const ws = corkedSocket!;
  const frames = corkedFrames;
  for (let index = 0; index < frames.length; index++) {
    // The check in send() keeps uWS under maxBackpressure, so nothing is dropped here.
    if (ws.send(frames[index]!, false, false) === SEND_DROPPED) break;
  }
}

/** A PeerSocket over a uWS WebSocket; guards every call after close (uWS would abort). */
export class UwsPeerSocket<UserData> implements PeerSocket {
  private open = true;
  private pending: Frame[] = [];
  private pendingBytes = 0;
  /** True while this socket is in `awaitingFlush`. */
  private scheduled = false;

  constructor(
    private readonly ws: WebSocket<UserData>,
    readonly remoteAddress: string,
    /** uWS maxBackpressure: queued plus buffered bytes above this are refused ('dropped'). */
    private readonly maxBackpressureBytes: number,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  send(frame: Frame): SendOutcome {
    if (!this.open) return 'dropped';
    if (this.pendingBytes + frame.length > FLUSH_AT_BYTES) this.write();
    // Decided now, as uWS would at send time: the session ends a slow consumer at once.
    if (this.pendingBytes + frame.length + this.ws.getBufferedAmount() > this.maxBackpressureBytes) return 'dropped';
    if (!this.scheduled) {
      this.scheduled = true;
      awaitingFlush.push(this as UwsPeerSocket<unknown>);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushAll);
      }
    }
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    return 'sent';
  }

  cork(batch: () => void): void {
    if (!this.open) return;
    // Sends are queued and written corked anyway; run the batch as is.
    batch();
  }

  /** The per-iteration flush: writes the queued frames and leaves the flush list. */
  flush(): void {
    this.scheduled = false;
    this.write();
  }

  /** Writes the queued frames in one corked write. */
  private write(): void {
    const frames = this.pending;
    if (frames.length === 0 || !this.open) return;
    this.pending = [];
    this.pendingBytes = 0;
    corkedSocket = this.ws as WebSocket<unknown>;
    corkedFrames = frames;
    this.ws.cork(sendCorkedFrames);
    corkedSocket = null;
    corkedFrames = NO_FRAMES;
  }

  close(code: number, reason: string): void {
    if (!this.open) return;
    // Frames queued before the close (drain, error) go out first.
    this.write();
    this.open = false;
    // end() runs the close handler synchronously; `open` is already false by then.
    this.ws.end(code, reason);
  }

  /** Called from the close handler: the socket is gone, never touch it again. */
  markClosed(): void {
    this.open = false;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
