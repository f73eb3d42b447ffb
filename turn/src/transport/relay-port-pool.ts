import { randomBytes, randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { RelayOpenRequest, RelayOpenResult, RelaySocket, RelaySocketFactory } from '../allocation/ports.js';
import { literalLookup } from './literal-lookup.js';

/**
 * Relayed transport addresses: one UDP socket per allocation and family, bound to a port from
 * the configured range. Ports in use are tracked here; a port another process holds is skipped
 * (EADDRINUSE) and the next candidate tried. EVEN-PORT with R=1 holds port+1 for 30 s under a
 * token (RFC 8656 §7.2, §14.8).
 */
const RESERVATION_HOLD_MS = 30_000;
const MAX_BIND_ATTEMPTS = 64;
const RELAY_SOCKET_BUFFER_BYTES = 1024 * 1024;

class DgramRelaySocket implements RelaySocket {
  private receiver: ((datagram: Buffer, peerAddress: string, peerPort: number) => void) | null = null;
  private closed = false;

  constructor(
    readonly family: 4 | 6,
    readonly bindAddress: string,
    readonly port: number,
    private readonly socket: Socket,
    private readonly release: (port: number) => void,
  ) {
    socket.on('message', (datagram, remote) => {
      if (this.receiver !== null) this.receiver(datagram, remote.address, remote.port);
    });
    // A send to an unreachable peer surfaces as an error event on some systems; it concerns one packet only.
    socket.on('error', () => undefined);
  }

  send(payload: Uint8Array, peerPort: number, peerAddress: string): void {
    this.socket.send(payload, peerPort, peerAddress);
  }

  sendParts(header: Uint8Array, payload: Uint8Array, peerPort: number, peerAddress: string): void {
    this.socket.send([header, payload], peerPort, peerAddress);
  }

  setReceiver(receiver: (datagram: Buffer, peerAddress: string, peerPort: number) => void): void {
    this.receiver = receiver;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.receiver = null;
    try {
      this.socket.close();
    } catch {
      // already closed
    }
    this.release(this.port);
  }
}

export interface RelayPortPoolOptions {
  /** Address relayed sockets bind, per family (absent = that family is not relayed). */
  bindAddresses: { 4?: string | undefined; 6?: string | undefined };
  minPort: number;
  maxPort: number;
}

export class RelayPortPool implements RelaySocketFactory {
  private readonly used = new Set<number>();
  private readonly reservations = new Map<string, { socket: DgramRelaySocket; timer: NodeJS.Timeout }>();
  readonly families: (4 | 6)[];

  constructor(private readonly options: RelayPortPoolOptions) {
    this.families = ([4, 6] as const).filter((family) => options.bindAddresses[family] !== undefined);
  }

  get portsInUse(): number {
    return this.used.size;
  }

  private candidate(evenOnly: boolean): number | null {
    const { minPort, maxPort } = this.options;
    const span = maxPort - minPort + 1;
    const start = randomInt(span);
    for (let i = 0; i < span; i++) {
      const port = minPort + ((start + i) % span);
      if (this.used.has(port)) continue;
      if (evenOnly && ((port & 1) !== 0 || port + 1 > maxPort || this.used.has(port + 1))) continue;
      return port;
    }
    return null;
  }

  private bind(family: 4 | 6, port: number): Promise<DgramRelaySocket | null> {
    const address = this.options.bindAddresses[family]!;
    this.used.add(port);
    // A relayed socket takes a peer's bursts; the kernel charges only for what is queued.
    const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6, lookup: literalLookup(family), recvBufferSize: RELAY_SOCKET_BUFFER_BYTES, sendBufferSize: RELAY_SOCKET_BUFFER_BYTES });
    return new Promise((resolve) => {
      const onError = () => {
        // Someone else holds it: keep it marked as used for now so it is not picked again at once.
        setTimeout(() => this.used.delete(port), 10_000).unref();
        try {
          socket.close();
        } catch {
          // never bound
        }
        resolve(null);
      };
      socket.once('error', onError);
      socket.bind(port, address, () => {
        socket.off('error', onError);
        resolve(new DgramRelaySocket(family, address, port, socket, (released) => this.used.delete(released)));
      });
    });
  }

  async open(request: RelayOpenRequest): Promise<RelayOpenResult> {
    if (!this.families.includes(request.family)) return { ok: false, reason: 'family_unsupported' };
    for (let attempt = 0; attempt < MAX_BIND_ATTEMPTS; attempt++) {
      const port = this.candidate(request.evenPort);
      if (port === null) return { ok: false, reason: 'no_port' };
      const socket = await this.bind(request.family, port);
      if (!socket) continue;
      if (!request.reserveNext) return { ok: true, socket, reservationToken: null };
      const next = await this.bind(request.family, port + 1);
      if (!next) {
        socket.close();
        continue;
      }
      const token = randomBytes(8).toString('hex');
      const timer = setTimeout(() => {
        this.reservations.delete(token);
        next.close();
      }, RESERVATION_HOLD_MS);
      timer.unref();
      this.reservations.set(token, { socket: next, timer });
      return { ok: true, socket, reservationToken: token };
    }
    return { ok: false, reason: 'no_port' };
  }

  async claimReservation(token: string): Promise<RelaySocket | null> {
    const held = this.reservations.get(token);
    if (!held) return null;
    this.reservations.delete(token);
    clearTimeout(held.timer);
    return held.socket;
  }

  /** Releases reservations nobody claimed (shutdown). */
  close(): void {
    for (const { socket, timer } of this.reservations.values()) {
      clearTimeout(timer);
      socket.close();
    }
    this.reservations.clear();
  }
}
