import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import {
  encodeCloseFrame,
  encodeFrame,
  encodeTextFrame,
  FrameReader,
  OPCODE_CLOSE,
  OPCODE_PING,
  OPCODE_PONG,
  OPCODE_TEXT,
} from './ws-frame.js';

/**
 * A WebSocket client made for load generation: one `net.Socket`, a hand-written HTTP/1.1 upgrade,
 * the framing of ws-frame.ts and nothing else (no extensions, no per-message events or objects).
 * Thousands of these share one Node process, where a `ws` client per connection would spend more
 * CPU than the broker under test.
 *
 * Writes are the generator's main cost (one syscall each), so sends are coalesced: everything sent
 * to a connection during one event-loop iteration leaves in one write, flushed for all connections
 * together in the loop's check phase (setImmediate), after every read of that iteration was handled.
 */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_HANDSHAKE_BYTES = 16 * 1024;

export interface LeanConnectOptions {
  /** Extra request headers (e.g. `Authorization`, `Sec-WebSocket-Protocol`). */
  headers?: Record<string, string>;
  /** Source address: spreading connections over 127.0.0.x keeps clear of ephemeral-port limits. */
  localAddress?: string;
  timeoutMs?: number;
}

/** The upgrade was refused with an HTTP status instead of 101. */
export class UpgradeRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`WebSocket upgrade refused with HTTP ${status}`);
    this.name = 'UpgradeRefusedError';
  }
}

export interface LeanWebSocketHandlers {
  /** A text message; `payload` is a view valid only during the call (copy it to keep it). */
  onText(payload: Buffer): void;
  /** The connection ended: `code` is the close frame's code, 1006 when the socket just went away. */
  onClose(code: number, reason: string): void;
}

/** Connections with frames waiting, flushed together once per event-loop iteration. */
const awaitingFlush: LeanWebSocket[] = [];
let flushAllScheduled = false;

function flushAll(): void {
  flushAllScheduled = false;
  // A flush can trigger no sends itself, so one pass empties the list.
  for (let index = 0; index < awaitingFlush.length; index++) awaitingFlush[index]!.flush();
  awaitingFlush.length = 0;
}

/** Outgoing bytes are appended to slabs of this size: under 4 KiB, so they come from Node's buffer pool. */
const SLAB_BYTES = 4000;

export class LeanWebSocket {
  /** Filled slabs waiting for the flush, then the one being filled. */
  private readonly outgoing: Buffer[] = [];
  private slab: Buffer | null = null;
  private slabUsed = 0;
  /** Offset of the space handed out by the last `reserve()`. */
  reservedAt = 0;
  private flushScheduled = false;
  private closed = false;
  private constructor(
    private readonly socket: Socket,
    private readonly handlers: LeanWebSocketHandlers,
    leftover: Buffer,
  ) {
    const reader = new FrameReader({
      onMessage: (opcode, payload) => {
        if (opcode === OPCODE_TEXT) this.handlers.onText(payload);
      },
      onControl: (opcode, payload) => {
        if (opcode === OPCODE_PING) this.enqueue(encodeFrame(OPCODE_PONG, payload));
        else if (opcode === OPCODE_CLOSE) {
          const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
          this.finish(code, payload.subarray(2).toString('utf8'));
          // RFC 6455 §5.5.1: the endpoint that receives a Close frame answers with a Close frame.
          if (!socket.destroyed) socket.end(encodeCloseFrame(code === 1005 ? 1000 : code));
        }
      },
      onProtocolError: (reason) => {
        this.finish(1002, reason);
        socket.destroy();
      },
    });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('close', () => this.finish(1006, ''));
    socket.on('error', () => {});
    // Frames that came in the same chunk as the 101 (often the server's first message).
    if (leftover.length > 0) queueMicrotask(() => reader.push(leftover));
  }

  /** Opens `url` (ws://host:port/path?query). Resolves once the server answered 101. */
  static connect(url: string | URL, handlers: LeanWebSocketHandlers, options: LeanConnectOptions = {}): Promise<LeanWebSocket> {
    const target = new URL(url);
    if (target.protocol !== 'ws:') return Promise.reject(new Error(`only ws:// URLs are supported, got ${target.protocol}`));
    const key = randomBytes(16).toString('base64');
    const expectedAccept = createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
    const port = Number(target.port || 80);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
      socket.setNoDelay(true);
      let received: Buffer = Buffer.alloc(0);
      const timer = setTimeout(() => fail(new Error(`WebSocket handshake with ${target.host} timed out`)), options.timeoutMs ?? 10_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      const onData = (chunk: Buffer) => {
        received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
        const headerEnd = received.indexOf('\r\n\r\n');
        if (headerEnd < 0) {
          if (received.length > MAX_HANDSHAKE_BYTES) fail(new Error('WebSocket handshake response too large'));
          return;
        }
        const head = received.subarray(0, headerEnd).toString('latin1');
        const statusLine = head.slice(0, head.indexOf('\r\n'));
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
        if (status !== 101) {
          // Give the body a moment to arrive so the caller can read the error code in it.
          socket.off('data', onData);
          const bodyChunks: Buffer[] = [received.subarray(headerEnd + 4)];
          socket.on('data', (more: Buffer) => bodyChunks.push(more));
          setTimeout(() => fail(new UpgradeRefusedError(status, Buffer.concat(bodyChunks).toString('utf8'))), 20);
          return;
        }
        const accept = /\r\nsec-websocket-accept:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim();
        if (accept !== expectedAccept) return fail(new Error('Sec-WebSocket-Accept does not match the key'));
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('error', fail);
        socket.off('close', onEarlyClose);
        resolve(new LeanWebSocket(socket, handlers, Buffer.from(received.subarray(headerEnd + 4))));
      };
      const onEarlyClose = () => fail(new Error(`connection to ${target.host} closed during the WebSocket handshake`));
      socket.on('data', onData);
      socket.once('error', fail);
      socket.once('close', onEarlyClose);
      const extra = Object.entries(options.headers ?? {})
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(
        `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
      );
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Queues a text message; it leaves with everything else queued in this event-loop iteration. */
  send(text: string): void {
    if (!this.closed) this.enqueue(encodeTextFrame(text));
  }

  /**
   * Hands out `bytes` of outgoing space, at `this.reservedAt` in the returned buffer, for the caller
   * to fill with complete frames right away (before its next await). This is how pre-encoded frames
   * are sent without allocating per message: copy the template in, patch a few bytes. Returns null
   * when the connection is closed.
   */
  reserve(bytes: number): Buffer | null {
    if (this.closed) return null;
    if (this.slab === null || this.slabUsed + bytes > this.slab.length) {
      if (this.slab !== null && this.slabUsed > 0) this.outgoing.push(this.slab.subarray(0, this.slabUsed));
      this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes));
      this.slabUsed = 0;
    }
    this.reservedAt = this.slabUsed;
    this.slabUsed += bytes;
    this.scheduleFlush();
    return this.slab;
  }

  /** A clean close: close frame, then the server closes the TCP connection. */
  close(code = 1000, reason = ''): void {
    if (this.closed || this.socket.destroyed) return;
    this.flush();
    this.socket.write(encodeCloseFrame(code, reason));
    // If the server does not answer, do not keep the socket forever.
    setTimeout(() => this.socket.destroy(), 2_000).unref();
  }

  /** Drops the TCP connection without a close frame: what a network blip looks like to the server. */
  destroy(): void {
    this.outgoing.length = 0;
    this.slab = null;
    this.socket.destroy();
    this.finish(1006, '');
  }

  private enqueue(frame: Buffer): void {
    const slab = this.reserve(frame.length);
    if (slab) frame.copy(slab, this.reservedAt);
  }

  private scheduleFlush(): void {
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      awaitingFlush.push(this);
      if (!flushAllScheduled) {
        flushAllScheduled = true;
        setImmediate(flushAll);
      }
    }
  }

  /** Writes what is queued now (normally called by the per-iteration flush). */
  flush(): void {
    this.flushScheduled = false;
    if (this.slab !== null && this.slabUsed > 0) this.outgoing.push(this.slab.subarray(0, this.slabUsed));
    // The written slab belongs to the socket until written; the next send starts a fresh one.
    this.slab = null;
    this.slabUsed = 0;
    const count = this.outgoing.length;
    if (count === 0 || this.socket.destroyed) {
      this.outgoing.length = 0;
      return;
    }
    if (count === 1) {
      this.socket.write(this.outgoing[0]!);
    } else {
      // cork/uncork turns the writes into one writev.
      this.socket.cork();
      for (const chunk of this.outgoing) this.socket.write(chunk);
      this.socket.uncork();
    }
    this.outgoing.length = 0;
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onClose(code, reason);
  }
}
