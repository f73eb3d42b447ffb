/**
 * The two ports through which allocation state reaches the network. transport/ implements them;
 * everything else sees only these interfaces, so handlers and the relay can be driven by tests
 * without sockets.
 */
import type { Allocation } from './allocation.js';

export type ClientTransport = 'udp' | 'tcp' | 'tls';

/** The client side of a 5-tuple: how the relay answers a client. */
export interface ClientLink {
  readonly transport: ClientTransport;
  readonly family: 4 | 6;
  readonly address: string;
  readonly port: number;
  /** The server's own address and port on this 5-tuple (which listener the client reached). */
  readonly localAddress: string;
  readonly localPort: number;
  /** Sends one STUN message or a finished ChannelData message. */
  send(bytes: Uint8Array): void;
  /**
   * Sends a ChannelData message as header + payload. Stream transports pad it to 4 bytes
   * (RFC 8656 §12.5); UDP sends it as is. Returns false when the message was dropped because the
   * client does not read fast enough (stream backpressure).
   */
  sendChannelData(header: Uint8Array, payload: Uint8Array): boolean;
  /** The allocation of this 5-tuple (RFC 8656 §2.2: at most one), or null. */
  allocation: Allocation | null;
  /** Transaction id (hex) of an Allocate still binding its relayed socket; retransmissions wait. */
  pendingAllocate: string | null;
  /** Makes this link findable by its 5-tuple for later datagrams (UDP registers it with its listener). */
  attach(): void;
  /** Forgets the link (its allocation is gone). */
  detach(): void;
}

/** One relayed transport address, bound for one allocation. */
export interface RelaySocket {
  readonly family: 4 | 6;
  /** The address the socket is bound to (may differ from the advertised one behind NAT). */
  readonly bindAddress: string;
  readonly port: number;
  /** Sends a datagram to a peer from the relayed transport address. */
  send(payload: Uint8Array, peerPort: number, peerAddress: string): void;
  /** Sends header + payload as one datagram (scatter-gather; no copy into one buffer). */
  sendParts(header: Uint8Array, payload: Uint8Array, peerPort: number, peerAddress: string): void;
  /** Where datagrams from peers go; set once when the allocation is created. */
  setReceiver(receiver: (datagram: Buffer, peerAddress: string, peerPort: number) => void): void;
  close(): void;
}

/** Opens relayed transport addresses. Implemented by transport/relay-port-pool. */
export interface RelaySocketFactory {
  /**
   * Binds one relayed socket per requested family. `evenPort` asks for an even port and
   * `reserveNext` additionally holds port+1 under a returned token (RFC 8656 §7.2 step EVEN-PORT).
   * Resolves with an error code when no port is free.
   */
  open(request: RelayOpenRequest): Promise<RelayOpenResult>;
  /** Takes a socket held by an earlier EVEN-PORT R=1 reservation. */
  claimReservation(token: string): Promise<RelaySocket | null>;
  /** Families this server can relay. */
  readonly families: readonly (4 | 6)[];
}

export interface RelayOpenRequest {
  family: 4 | 6;
  evenPort: boolean;
  reserveNext: boolean;
}

export type RelayOpenResult = { ok: true; socket: RelaySocket; reservationToken: string | null } | { ok: false; reason: 'no_port' | 'family_unsupported' };
