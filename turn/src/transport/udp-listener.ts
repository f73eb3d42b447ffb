import type { Allocation } from '../allocation/allocation.js';
import type { ClientLink } from '../allocation/ports.js';
import type { ControlPlane } from '../handlers/control-plane.js';
import { DROP_NO_ALLOCATION, DROP_NOT_STUN_OR_CHANNEL_DATA, DROP_SEND_FAILED } from '../relay/counters.js';
import type { RelayEngine } from '../relay/relay-engine.js';
import type { DatagramIo, DatagramSocket } from './datagram-socket.js';

/** Every client of the listener shares this socket's queues. */
const LISTENER_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * The UDP listener: every datagram is either STUN (top bits 00) for the control plane or
 * ChannelData (01) for the data plane (RFC 8656 §12: the first two bits tell them apart).
 * 5-tuples with an allocation are kept in a map keyed by client port, then compared by address,
 * so the per-packet lookup needs no string building.
 */
class UdpClientLink implements ClientLink {
  readonly transport = 'udp' as const;
  allocation: Allocation | null = null;
  pendingAllocate: string | null = null;
  attached = false;

  constructor(
    private readonly listener: UdpListener,
    readonly family: 4 | 6,
    readonly address: string,
    readonly port: number,
  ) {}

  get localAddress(): string {
    return this.listener.host;
  }

  get localPort(): number {
    return this.listener.port;
  }

  send(bytes: Uint8Array): void {
    this.listener.socket?.send(bytes, this.port, this.address);
  }

  sendChannelData(header: Uint8Array, payload: Uint8Array): boolean {
    this.listener.socket?.sendParts(header, payload, this.port, this.address);
    return true;
  }

  attach(): void {
    this.listener.register(this);
  }

  detach(): void {
    this.listener.unregister(this);
  }
}

export class UdpListener {
  /** Null until listen() has bound it. */
  socket: DatagramSocket | null = null;
  private readonly linksByPort = new Map<number, UdpClientLink[]>();
  readonly family: 4 | 6;
  private boundPort = 0;

  constructor(
    readonly host: string,
    private readonly requestedPort: number,
    private readonly io: DatagramIo,
    private readonly control: ControlPlane,
    private readonly relay: RelayEngine,
    private readonly onError: (error: Error) => void,
  ) {
    this.family = host.includes(':') ? 6 : 4;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Links that currently hold an allocation or an Allocate in progress. */
  get attachedLinks(): number {
    let count = 0;
    for (const links of this.linksByPort.values()) count += links.length;
    return count;
  }

  async listen(): Promise<void> {
    this.socket = await this.io.bind({
      family: this.family,
      address: this.host,
      port: this.requestedPort,
      bufferBytes: LISTENER_SOCKET_BUFFER_BYTES,
      onDatagram: (datagram, address, port) => this.onDatagram(datagram, address, port),
      onSendFailed: (count) => (this.relay.counters.drops[DROP_SEND_FAILED]! += count),
      onError: this.onError,
    });
    this.boundPort = this.socket.port;
  }

  private find(address: string, port: number): UdpClientLink | undefined {
    const links = this.linksByPort.get(port);
    if (links === undefined) return undefined;
    for (let i = 0; i < links.length; i++) if (links[i]!.address === address) return links[i];
    return undefined;
  }

  private onDatagram(datagram: Buffer, address: string, port: number): void {
    const kind = datagram.length > 0 ? datagram[0]! & 0xc0 : 0xc0;
    if (kind === 0x40) {
      const link = this.find(address, port);
      if (link === undefined || link.allocation === null) {
        this.relay.counters.drops[DROP_NO_ALLOCATION]!++;
        return;
      }
      this.relay.fromClientChannelData(link.allocation, datagram);
      return;
    }
    if (kind !== 0) {
      this.relay.counters.drops[DROP_NOT_STUN_OR_CHANNEL_DATA]!++;
      return;
    }
    const link = this.find(address, port) ?? new UdpClientLink(this, this.family, address, port);
    this.control.handle(link, datagram);
  }

  register(link: UdpClientLink): void {
    if (link.attached) return;
    link.attached = true;
    const links = this.linksByPort.get(link.port);
    if (links) links.push(link);
    else this.linksByPort.set(link.port, [link]);
  }

  unregister(link: UdpClientLink): void {
    if (!link.attached) return;
    link.attached = false;
    const links = this.linksByPort.get(link.port);
    if (!links) return;
    const index = links.indexOf(link);
    if (index !== -1) links.splice(index, 1);
    if (links.length === 0) this.linksByPort.delete(link.port);
  }

  close(): Promise<void> {
    this.socket?.close();
    this.socket = null;
    return Promise.resolve();
  }
}
