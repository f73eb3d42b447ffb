import type { WebSocket } from 'uWebSockets.js';
import type { PeerSocket, SendOutcome } from '../session/peer-socket.js';

/** uWS `send` results: 1 sent, 0 buffered under backpressure, 2 dropped over maxBackpressure. */
const SEND_SENT = 1;
const SEND_QUEUED = 0;

/** A PeerSocket over a uWS WebSocket; guards every call after close (uWS would abort). */
export class UwsPeerSocket<UserData> implements PeerSocket {
  private open = true;

  constructor(
    private readonly ws: WebSocket<UserData>,
    readonly remoteAddress: string,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  send(frame: string): SendOutcome {
    if (!this.open) return 'dropped';
    const result = this.ws.send(frame, false, false);
    return result === SEND_SENT ? 'sent' : result === SEND_QUEUED ? 'queued' : 'dropped';
  }

  cork(batch: () => void): void {
    if (!this.open) return;
    this.ws.cork(batch);
  }

  close(code: number, reason: string): void {
    if (!this.open) return;
    this.open = false;
    // end() runs the close handler synchronously; `open` is already false by then.
    this.ws.end(code, reason);
  }

  /** Called from the close handler: the socket is gone, never touch it again. */
  markClosed(): void {
    this.open = false;
  }
}
