import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { Allocation } from '../allocation/allocation.js';
import type { ClientLink, ClientTransport } from '../allocation/ports.js';
import type { ControlPlane } from '../handlers/control-plane.js';
import { DROP_NO_ALLOCATION } from '../relay/counters.js';
import type { RelayEngine } from '../relay/relay-engine.js';
import { StreamDeframer } from '../proto/stream-framing.js';

/**
 * TCP and TLS listeners (RFC 8656 §3.1, §12.5): one connection is one 5-tuple, so the connection
 * object is the client link and holds the allocation. Frames are cut out of the byte stream by
 * StreamDeframer; bytes that are neither STUN nor ChannelData, or a frame over the size limit,
 * close the connection (there is no way to resynchronise a stream).
 */

/** A STUN message or ChannelData frame carries at most 65535 bytes of body (16-bit length) plus its header. */
const MAX_FRAME_BYTES = 20 + 65_535;
const PADDING = [Buffer.alloc(0), Buffer.alloc(1), Buffer.alloc(2), Buffer.alloc(3)];

export interface StreamListenerHooks {
  /** The connection closed while it held an allocation: RFC 8656 §3.1 ends the allocation with it. */
  connectionClosed(allocation: Allocation): void;
  malformedStream(): void;
  onError(error: Error): void;
}

class StreamClientLink implements ClientLink {
  allocation: Allocation | null = null;
  pendingAllocate: string | null = null;
  readonly family: 4 | 6;
  readonly address: string;
  readonly port: number;
  readonly localAddress: string;
  readonly localPort: number;

  constructor(
    readonly transport: ClientTransport,
    private readonly socket: Socket,
    private readonly maxBufferedBytes: number,
  ) {
    this.address = socket.remoteAddress ?? '';
    this.port = socket.remotePort ?? 0;
    this.family = socket.remoteFamily === 'IPv6' ? 6 : 4;
    this.localAddress = socket.localAddress ?? '';
    this.localPort = socket.localPort ?? 0;
  }

  send(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  sendChannelData(header: Uint8Array, payload: Uint8Array): boolean {
    const socket = this.socket;
    if (socket.destroyed || socket.writableLength > this.maxBufferedBytes) return false;
    socket.cork();
    socket.write(header);
    socket.write(payload);
    // §12.5: "Over TCP and TLS-over-TCP, the ChannelData message MUST be padded to a multiple of four bytes."
    const padding = (4 - (payload.length & 3)) & 3;
    if (padding !== 0) socket.write(PADDING[padding]!);
    socket.uncork();
    return true;
  }

  attach(): void {
    // The connection itself is the 5-tuple: nothing to register.
  }

  detach(): void {
    // Nothing registered; the connection stays open until the client closes it.
  }
}

export interface StreamListenerOptions {
  transport: 'tcp' | 'tls';
  host: string;
  port: number;
  tls?: { cert: Buffer; key: Buffer };
  maxConnections: number;
  idleTimeoutMs: number;
  maxBufferedBytes: number;
}

export class StreamListener {
  private readonly server: TcpServer | TlsServer;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;

  constructor(
    private readonly options: StreamListenerOptions,
    private readonly control: ControlPlane,
    private readonly relay: RelayEngine,
    private readonly hooks: StreamListenerHooks,
  ) {
    const onSocket = (socket: Socket) => this.onConnection(socket);
    this.server =
      options.transport === 'tls'
        ? createTlsServer({ cert: options.tls!.cert, key: options.tls!.key, handshakeTimeout: 10_000 }, onSocket)
        : createTcpServer(onSocket);
    this.server.maxConnections = options.maxConnections;
    this.server.on('error', (error) => hooks.onError(error));
    // TLS handshake failures (scanners, plain TCP on the TLS port) concern that connection only.
    this.server.on('tlsClientError', () => undefined);
  }

  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.options.host;
  }

  get connections(): number {
    return this.sockets.size;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port: this.options.port, host: this.options.host, ipv6Only: this.options.host.includes(':') }, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        this.boundPort = typeof address === 'object' && address ? address.port : 0;
        resolve();
      });
    });
  }

  private onConnection(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const link = new StreamClientLink(this.options.transport, socket, this.options.maxBufferedBytes);
    const relay = this.relay;
    const control = this.control;
    const deframer = new StreamDeframer((frame) => {
      if ((frame[0]! & 0xc0) === 0x40) {
        if (link.allocation === null) relay.counters.drops[DROP_NO_ALLOCATION]!++;
        else relay.fromClientChannelData(link.allocation, frame);
      } else {
        control.handle(link, frame);
      }
    }, MAX_FRAME_BYTES);
    socket.on('data', (chunk: Buffer) => {
      if (!deframer.push(chunk)) {
        this.hooks.malformedStream();
        socket.destroy();
      }
    });
    // A connection that never allocates is closed after the idle timeout; one with an
    // allocation lives as long as the client keeps it open.
    socket.setTimeout(this.options.idleTimeoutMs, () => {
      if (link.allocation === null) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      link.pendingAllocate = null;
      const allocation = link.allocation;
      if (allocation !== null) this.hooks.connectionClosed(allocation);
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
