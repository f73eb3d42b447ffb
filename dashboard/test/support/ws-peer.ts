import type { ServerMessage, ServerMessageOf } from '@parley/protocol';
import { waitFor } from '@parley/test-support';
import WebSocket from 'ws';

/**
 * A signaling-only peer for the dashboard tests: a real WebSocket client of the signal server
 * that joins one room and records what it receives and how its connection ended.
 */
export class WsPeer {
  readonly received: ServerMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  peerId = '';

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.received.push(JSON.parse(data.toString()) as ServerMessage));
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
    ws.on('error', () => undefined);
  }

  /** Connects with `token` and joins `room`; resolves once `room.joined` arrived. */
  static async join(wsUrl: string, token: string, room: string): Promise<WsPeer> {
    const ws = new WebSocket(`${wsUrl}?access_token=${encodeURIComponent(token)}`);
    const peer = new WsPeer(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const session = await peer.next('session');
    peer.peerId = session.peerId;
    ws.send(JSON.stringify({ type: 'room.join', rid: 1, room }));
    await peer.next('room.joined');
    return peer;
  }

  next<T extends ServerMessage['type']>(type: T, predicate: (message: ServerMessageOf<T>) => boolean = () => true): Promise<ServerMessageOf<T>> {
    return waitFor(() => this.received.find((message): message is ServerMessageOf<T> => message.type === type && predicate(message as ServerMessageOf<T>)), {
      timeoutMs: 20_000,
      what: `a ${type} message`,
    });
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}
