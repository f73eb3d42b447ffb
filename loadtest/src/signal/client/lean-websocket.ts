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
 * CPU than the broker under test. Sends made in one turn of the event loop leave in one write.
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

export class LeanWebSocket {
  private readonly outgoing: Buffer[] = [];
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

  /** Queues a text message; everything queued in this turn of the event loop goes out in one write. */
  send(text: string): void {
    if (!this.closed) this.enqueue(encodeTextFrame(text));
  }

  /** Sends a pre-encoded frame (see ws-frame.ts) as is. */
  sendFrame(frame: Buffer): void {
    if (!this.closed) this.enqueue(frame);
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
    this.socket.destroy();
    this.finish(1006, '');
  }

  private enqueue(frame: Buffer): void {
    this.outgoing.push(frame);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const count = this.outgoing.length;
    if (count === 0 || this.socket.destroyed) {
      this.outgoing.length = 0;
      return;
    }
    this.socket.write(count === 1 ? this.outgoing[0]! : Buffer.concat(this.outgoing));
    this.outgoing.length = 0;
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onClose(code, reason);
  }
}
