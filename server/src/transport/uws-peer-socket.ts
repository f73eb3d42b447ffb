import type { WebSocket } from 'uWebSockets.js';
import type { PeerSocket, SendOutcome } from '../session/peer-socket.js';

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
/**
 * A socket whose queue grows past this is written at once (still corked): coalescing is for the
 * many small frames of signaling, and a burst of large frames must reach the kernel (and a
 * client that reads) as soon as before, so backpressure means what it meant without the queue.
 */
const FLUSH_AT_BYTES = 16 * 1024;
let flushScheduled = false;

function flushAll(): void {
  flushScheduled = false;
  // Flushing sends nothing new to other sockets, so one pass empties the list.
  for (let index = 0; index < awaitingFlush.length; index++) {
    const socket = awaitingFlush[index]!;
    socket.listed = false;
    socket.flush();
  }
  awaitingFlush.length = 0;
}

/** A PeerSocket over a uWS WebSocket; guards every call after close (uWS would abort). */
export class UwsPeerSocket<UserData> implements PeerSocket {
  private open = true;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** In awaitingFlush for this iteration (an early flush does not take it off the list). */
  listed = false;

  constructor(
    private readonly ws: WebSocket<UserData>,
    readonly remoteAddress: string,
    /** uWS maxBackpressure: queued plus buffered bytes above this are refused ('dropped'). */
    private readonly maxBackpressureBytes: number,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  send(frame: string): SendOutcome {
    if (!this.open) return 'dropped';
    // Decided now, as uWS would at send time: the session ends a slow consumer at once.
    if (this.pendingBytes + this.ws.getBufferedAmount() > this.maxBackpressureBytes) return 'dropped';
    if (!this.listed) {
      this.listed = true;
      awaitingFlush.push(this as UwsPeerSocket<unknown>);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushAll);
      }
    }
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    if (this.pendingBytes >= FLUSH_AT_BYTES) this.flush();
    return 'sent';
  }

  cork(batch: () => void): void {
    if (!this.open) return;
    // Sends are queued and written corked anyway; run the batch as is.
    batch();
  }

  /** Writes the queued frames in one corked write (from the per-iteration flush, or early for a large queue). */
  flush(): void {
    const frames = this.pending;
    if (frames.length === 0 || !this.open) return;
    this.pending = [];
    this.pendingBytes = 0;
    this.ws.cork(() => {
      for (const frame of frames) {
        // The check in send() keeps uWS under maxBackpressure, so nothing is dropped here.
        if (this.ws.send(frame, false, false) === SEND_DROPPED) break;
      }
    });
  }

  close(code: number, reason: string): void {
    if (!this.open) return;
    // Frames queued before the close (drain, error) go out first.
    this.flush();
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
