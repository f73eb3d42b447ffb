import type { ServerMessage, ServerMessageOf, ServerMessageType } from '@parley/protocol';
import WebSocket from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A real WebSocket client for integration tests: records every frame it receives and lets a
 * test take the first one matching a type or predicate. Frames that do not match stay in the
 * inbox for later calls, so a test can wait for an answer and still check what came before it.
 */
export class TestClient {
  /** Every frame received, in order. */
  readonly received: ServerMessage[] = [];
  /** Frames not yet taken by next(), in order. */
  private inbox: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<Closed>;
  private closedValue: Closed | undefined;
  private nextRid = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) throw new Error('the server sent a binary frame');
      const frame = JSON.parse(data.toString()) as ServerMessage;
      this.received.push(frame);
      this.inbox.push(frame);
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closedValue = { code, reason: reason.toString() };
        resolve(this.closedValue);
        this.wake();
      });
    });
    ws.on('error', () => undefined);
  }

  /** Opens a connection; resolves once the socket is open (before any frame is read). */
  static async connect(url: string, options: { protocols?: string[]; headers?: Record<string, string> } = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: HTTP ${response.statusCode}`)));
    });
    return client;
  }

  get isClosed(): boolean {
    return this.closedValue !== undefined;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  sendBinary(bytes: Uint8Array): void {
    this.ws.send(bytes, { binary: true });
  }

  /** Sends a message with a fresh rid and waits for the answer echoing it. */
  async request<T extends ServerMessage = ServerMessage>(message: Record<string, unknown>, timeoutMs = 5000): Promise<T> {
    const rid = this.nextRid++;
    this.send({ ...message, rid });
    return (await this.next((frame) => 'rid' in frame && frame.rid === rid, timeoutMs)) as T;
  }

  /** Takes the first frame of `type` from the inbox, waiting for it if needed. */
  nextOf<T extends ServerMessageType>(type: T, timeoutMs = 5000): Promise<ServerMessageOf<T>> {
    return this.next((frame) => frame.type === type, timeoutMs) as Promise<ServerMessageOf<T>>;
  }

  /** Takes the first frame matching `predicate` from the inbox, waiting for it if needed. */
  async next(predicate: (frame: ServerMessage) => boolean = () => true, timeoutMs = 5000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex(predicate);
      if (index >= 0) return this.inbox.splice(index, 1)[0]!;
      if (this.closedValue) throw new Error(`connection closed (${this.closedValue.code} ${this.closedValue.reason}) while waiting for a frame`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; inbox: ${JSON.stringify(this.inbox).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Frames received and not yet taken. */
  pending(): ServerMessage[] {
    return [...this.inbox];
  }

  /** Empties the inbox. */
  clear(): void {
    this.inbox = [];
  }

  /** Waits `ms`, then returns the frames not yet taken. */
  async idle(ms: number): Promise<ServerMessage[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.pending();
  }

  close(code = 1000): Promise<Closed> {
    if (!this.isClosed) this.ws.close(code);
    return this.closed;
  }

  /** Drops the TCP connection without a close frame (a network failure, as the server sees it). */
  terminate(): Promise<Closed> {
    this.ws.terminate();
    return this.closed;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
