import { randomBytes, randomInt } from 'node:crypto';
import type { RelayOpenRequest, RelayOpenResult, RelaySocket, RelaySocketFactory } from '../allocation/ports.js';
import type { DatagramIo, DatagramSocket } from './datagram-socket.js';

/**
 * Relayed transport addresses: one UDP socket per allocation and family, bound to a port from
 * the configured range. Ports in use are tracked here; a port another process holds is skipped
 * (EADDRINUSE) and the next candidate tried. EVEN-PORT with R=1 holds port+1 for 30 s under a
 * token (RFC 8656 §7.2, §14.8).
 *
 * Recycling: a socket released by an ending allocation (Refresh 0, expiry, revocation) is kept,
 * still bound, in a small bounded set per family and handed to a later Allocate instead of closing
 * it and binding a new one (create, bind, two buffer setsockopts, epoll registration and close cost
 * more server CPU than the rest of an allocation's JavaScript). Each allocation gets its own lease
 * on the socket: a lease that was released can neither send nor receive any more, so nothing the
 * old allocation held reaches the new one. The new allocation starts with no permissions and no
 * channels, so a datagram an old peer still sends to the port is discarded like any datagram from
 * a peer without a permission (RFC 8656 §10.3) — the same thing that happens when the kernel hands
 * a just-closed port to a new socket. Only sockets that never received a datagram are kept:
 * a socket any peer has sent to (during its allocation or while it waits) is closed as before, so
 * a relayed address somebody knows and uses never passes to a new allocation, and allocations that
 * carried traffic (every WebRTC allocation that took part in ICE) end exactly as without
 * recycling. The port is drawn at random from the kept set, and EVEN-PORT requests always bind
 * afresh.
 */
const RESERVATION_HOLD_MS = 30_000;
const MAX_BIND_ATTEMPTS = 64;
const RELAY_SOCKET_BUFFER_BYTES = 1024 * 1024;

type PeerReceiver = (datagram: Buffer, peerAddress: string, peerPort: number) => void;

/** A UDP socket bound to one relay port; it may serve several allocations one after the other. */
class BoundRelayPort {
  /** The receiver of the current lease; null while the socket waits for reuse (datagrams are discarded). */
  receiver: PeerReceiver | null = null;
  /** A datagram has arrived on this socket since it was bound: somebody knows the address, so it is not reused. */
  heard = false;
  /** Set once bound; datagrams cannot arrive before (delivery starts on a later turn of the event loop). */
  socket: DatagramSocket | null = null;

  constructor(
    readonly family: 4 | 6,
    readonly address: string,
    readonly port: number,
  ) {}

  readonly deliver = (datagram: Buffer, peerAddress: string, peerPort: number): void => {
    this.heard = true;
    const receiver = this.receiver;
    if (receiver !== null) receiver(datagram, peerAddress, peerPort);
  };

  close(): void {
    this.receiver = null;
    this.socket?.close();
    this.socket = null;
  }
}

/** One allocation's use of a bound relay port. Once closed it sends nothing and receives nothing. */
class RelayLease implements RelaySocket {
  readonly family: 4 | 6;
  readonly bindAddress: string;
  readonly port: number;
  private closed = false;

  constructor(
    private readonly bound: BoundRelayPort,
    private readonly release: (bound: BoundRelayPort) => void,
  ) {
    this.family = bound.family;
    this.bindAddress = bound.address;
    this.port = bound.port;
  }

  send(payload: Uint8Array, peerPort: number, peerAddress: string): void {
    if (!this.closed) this.bound.socket!.send(payload, peerPort, peerAddress);
  }

  sendParts(header: Uint8Array, payload: Uint8Array, peerPort: number, peerAddress: string): void {
    if (!this.closed) this.bound.socket!.sendParts(header, payload, peerPort, peerAddress);
  }

  setReceiver(receiver: PeerReceiver): void {
    if (!this.closed) this.bound.receiver = receiver;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.bound.receiver = null;
    this.release(this.bound);
  }
}

export interface RelayPortPoolOptions {
  /** Address relayed sockets bind, per family (absent = that family is not relayed). */
  bindAddresses: { 4?: string | undefined; 6?: string | undefined };
  minPort: number;
  maxPort: number;
  /** Released sockets kept bound for reuse, per family (0 = close every released socket). */
  recycledSocketsPerFamily: number;
  /** How relayed sockets reach the kernel. */
  io: DatagramIo;
  /** Datagrams to peers the kernel refused (counted as drops). */
  onSendFailed: (count: number) => void;
}

export class RelayPortPool implements RelaySocketFactory {
  private readonly used = new Set<number>();
  private readonly reservations = new Map<string, { bound: BoundRelayPort; timer: NodeJS.Timeout }>();
  /** Released sockets waiting for reuse, per family; never more than recycledSocketsPerFamily each. */
  private readonly recycled: Record<4 | 6, BoundRelayPort[]> = { 4: [], 6: [] };
  private closing = false;
  readonly families: (4 | 6)[];
  private readonly releaseBound = (bound: BoundRelayPort): void => this.released(bound);

  constructor(private readonly options: RelayPortPoolOptions) {
    this.families = ([4, 6] as const).filter((family) => options.bindAddresses[family] !== undefined);
  }

  /** Ports bound or held: by allocations, by reservations and by recycled sockets. */
  get portsInUse(): number {
    return this.used.size;
  }

  /** Released sockets currently kept for reuse (both families). */
  get recycledSockets(): number {
    return this.recycled[4].length + this.recycled[6].length;
  }

  /** Kept sockets that received a datagram while waiting; the next Allocate that meets them closes them. */
  get recycledSocketsHeardFrom(): number {
    let count = 0;
    for (const family of [4, 6] as const) for (const bound of this.recycled[family]) if (bound.heard) count++;
    return count;
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

  private async bind(family: 4 | 6, port: number): Promise<BoundRelayPort | null> {
    const address = this.options.bindAddresses[family]!;
    this.used.add(port);
    const bound = new BoundRelayPort(family, address, port);
    try {
      bound.socket = await this.options.io.bind({
        family,
        address,
        port,
        // A relayed socket takes a peer's bursts; the kernel charges only for what is queued.
        bufferBytes: RELAY_SOCKET_BUFFER_BYTES,
        onDatagram: bound.deliver,
        onSendFailed: this.options.onSendFailed,
        // A send to an unreachable peer surfaces as an error event on some systems; it concerns one packet only.
        onError: () => undefined,
      });
      return bound;
    } catch {
      // Someone else holds it: keep it marked as used for now so it is not picked again at once.
      setTimeout(() => this.used.delete(port), 10_000).unref();
      return null;
    }
  }

  private lease(bound: BoundRelayPort): RelayLease {
    return new RelayLease(bound, this.releaseBound);
  }

  /** A lease ended: keep a socket nobody has sent to for the next Allocate if there is room, else close it and free the port. */
  private released(bound: BoundRelayPort): void {
    const kept = this.recycled[bound.family];
    if (!this.closing && !bound.heard && kept.length < this.options.recycledSocketsPerFamily) {
      kept.push(bound);
      return;
    }
    this.discard(bound);
  }

  private discard(bound: BoundRelayPort): void {
    bound.close();
    this.used.delete(bound.port);
  }

  /**
   * A recycled socket of `family` at a random index of the kept set, or null when none is left.
   * Sockets that heard from someone while they waited are closed on the way, not handed out.
   */
  private takeRecycled(family: 4 | 6): BoundRelayPort | null {
    const kept = this.recycled[family];
    while (kept.length > 0) {
      const index = kept.length === 1 ? 0 : randomInt(kept.length);
      const bound = kept[index]!;
      kept[index] = kept[kept.length - 1]!;
      kept.pop();
      if (!bound.heard) return bound;
      this.discard(bound);
    }
    return null;
  }

  async open(request: RelayOpenRequest): Promise<RelayOpenResult> {
    if (!this.families.includes(request.family)) return { ok: false, reason: 'family_unsupported' };
    if (!request.evenPort) {
      const recycled = this.takeRecycled(request.family);
      if (recycled !== null) return { ok: true, socket: this.lease(recycled), reservationToken: null };
    }
    for (let attempt = 0; attempt < MAX_BIND_ATTEMPTS; attempt++) {
      const port = this.candidate(request.evenPort);
      if (port === null) return { ok: false, reason: 'no_port' };
      const bound = await this.bind(request.family, port);
      if (!bound) continue;
      if (!request.reserveNext) return { ok: true, socket: this.lease(bound), reservationToken: null };
      const next = await this.bind(request.family, port + 1);
      if (!next) {
        this.discard(bound);
        continue;
      }
      const token = randomBytes(8).toString('hex');
      const timer = setTimeout(() => {
        this.reservations.delete(token);
        this.discard(next);
      }, RESERVATION_HOLD_MS);
      timer.unref();
      this.reservations.set(token, { bound: next, timer });
      return { ok: true, socket: this.lease(bound), reservationToken: token };
    }
    return { ok: false, reason: 'no_port' };
  }

  async claimReservation(token: string): Promise<RelaySocket | null> {
    const held = this.reservations.get(token);
    if (!held) return null;
    this.reservations.delete(token);
    clearTimeout(held.timer);
    return this.lease(held.bound);
  }

  /** Shutdown: closes recycled sockets and reservations nobody claimed; leases released later close their sockets. */
  close(): void {
    this.closing = true;
    for (const { bound, timer } of this.reservations.values()) {
      clearTimeout(timer);
      this.discard(bound);
    }
    this.reservations.clear();
    for (const family of [4, 6] as const) {
      for (const bound of this.recycled[family]) this.discard(bound);
      this.recycled[family] = [];
    }
  }
}
