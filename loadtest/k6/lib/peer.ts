/**
 * One Parley peer inside a k6 VU: a k6/websockets connection, the protocol state a client keeps
 * (session, room members), and the same delivery check as the Node harness: every `signal`
 * carries the trace marker of ../../src/signal/wire.ts, and each receiver checks that every
 * sender's messages arrive in order, and measures their latency (sender and receiver share the
 * k6 instance's clock; millisecond resolution).
 */
import { WebSocket } from 'k6/websockets';
import { parseMarker, signalTemplate, signalText, joinText, type SignalTemplate } from '../../src/signal/wire.ts';
import { metrics, wsUrlFor } from './parley.ts';

interface Session {
  peerId: string;
  resumeToken: string;
  resumed: boolean;
  rooms: string[];
}

export interface PeerHandlers {
  onSession?(session: Session): void;
  onJoined?(room: string, peers: string[]): void;
  onPeerJoined?(room: string, peerId: string): void;
  onPeerLeft?(room: string, peerId: string, reason: string): void;
  onClose?(): void;
}

export class K6Peer {
  socket: WebSocket | null = null;
  session: Session | null = null;
  /** Room → ids of the other members. */
  readonly members = new Map<string, Set<string>>();
  private readonly templates = new Map<string, SignalTemplate>();
  private readonly sentTo = new Map<string, number>();
  private readonly expectedFrom = new Map<number, number>();
  private nextRid = 1;
  private joinStartedMs = new Map<number, number>();

  constructor(
    readonly userId: string,
    /** Unique per VU and iteration: the pair id in this peer's trace markers. */
    readonly senderId: number,
    private readonly handlers: PeerHandlers = {},
  ) {}

  connect(resumeToken?: string): void {
    const startedMs = Date.now();
    const socket = new WebSocket(wsUrlFor(this.userId, resumeToken));
    this.socket = socket;
    socket.addEventListener('message', (event) => {
      const data = (event as { data: unknown }).data;
      if (typeof data === 'string') this.onText(data, startedMs, resumeToken !== undefined);
    });
    socket.addEventListener('close', () => this.handlers.onClose?.());
    socket.addEventListener('error', () => metrics.protocolErrors.add(1, { kind: 'socket_error' }));
  }

  join(room: string): void {
    const rid = this.nextRid++;
    this.joinStartedMs.set(rid, Date.now());
    this.socket?.send(joinText(room, rid));
  }

  /** Sends the next traced offer/answer/candidate-shaped message to `peerId`. */
  signal(room: string, peerId: string): void {
    let template = this.templates.get(peerId);
    if (!template) this.templates.set(peerId, (template = signalTemplate(room, peerId)));
    const seq = this.sentTo.get(peerId) ?? 0;
    this.sentTo.set(peerId, seq + 1);
    this.socket?.send(signalText(template, this.senderId, seq, Date.now() * 1000));
  }

  /** Closes with a code other than 1000, which the server treats as a blip: the session stays resumable. */
  blip(): void {
    this.socket?.close(4000, 'load-test blip');
  }

  close(): void {
    this.socket?.close(1000);
  }

  private onText(text: string, startedMs: number, resuming: boolean): void {
    let message: { type?: string; [key: string]: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      metrics.protocolErrors.add(1, { kind: 'not_json' });
      return;
    }
    switch (message.type) {
      case 'session': {
        const session = message as unknown as Session;
        if (resuming) {
          metrics.resumeTime.add(Date.now() - startedMs);
          if (!session.resumed || session.peerId !== this.session?.peerId) metrics.resumeFailures.add(1);
        } else {
          metrics.connectTime.add(Date.now() - startedMs);
        }
        this.session = session;
        this.handlers.onSession?.(session);
        return;
      }
      case 'room.joined': {
        const rid = message.rid as number;
        const started = this.joinStartedMs.get(rid);
        if (started !== undefined) metrics.joinTime.add(Date.now() - started);
        const room = message.room as string;
        const peers = (message.peers as { peerId: string }[]).map((peer) => peer.peerId);
        this.members.set(room, new Set(peers));
        this.handlers.onJoined?.(room, peers);
        return;
      }
      case 'peer.joined': {
        const room = message.room as string;
        const peerId = (message.peer as { peerId: string }).peerId;
        this.members.get(room)?.add(peerId);
        this.handlers.onPeerJoined?.(room, peerId);
        return;
      }
      case 'peer.left': {
        const room = message.room as string;
        this.members.get(room)?.delete(message.peerId as string);
        this.handlers.onPeerLeft?.(room, message.peerId as string, message.reason as string);
        return;
      }
      case 'signal': {
        const marker = parseMarker(text);
        if (!marker) return;
        const expected = this.expectedFrom.get(marker.pairId) ?? 0;
        if (marker.seq !== expected) metrics.outOfOrder.add(1);
        this.expectedFrom.set(marker.pairId, marker.seq + 1);
        metrics.signalsDelivered.add(1);
        metrics.signalLatency.add(Date.now() - marker.sentAtUs / 1000);
        return;
      }
      case 'error':
        metrics.protocolErrors.add(1, { code: String(message.code) });
        return;
      default:
        return;
    }
  }
}

/** A pair id unique to this VU and iteration (fits the marker's 7 digits for up to 9,999 VUs). */
export function senderIdFor(vu: number, iteration: number): number {
  return vu * 1_000 + (iteration % 1_000);
}
