import { createSocket } from 'node:dgram';
import { literalLookup } from './literal-lookup.js';

/**
 * The one datagram-socket interface the UDP listener and the relayed ports use, so the way
 * datagrams reach the kernel is chosen once per process: node:dgram (a system call and a
 * JavaScript callback per datagram, runs everywhere) or the batched addon in turn/native
 * (recvmmsg/sendmmsg, Linux; see batched-udp.ts).
 */
export type DatagramHandler = (datagram: Buffer, address: string, port: number) => void;

export interface DatagramBindOptions {
  family: 4 | 6;
  /** An IP literal of `family`. */
  address: string;
  /** 0 = any free port. */
  port: number;
  /** SO_RCVBUF and SO_SNDBUF. */
  bufferBytes: number;
  onDatagram: DatagramHandler;
  /** Datagrams the kernel refused to take (full send buffer, unreachable destination), as they are found (dgram reports only the ones it refuses before trying). */
  onSendFailed: (count: number) => void;
  /** An error on the bound socket that is not about one datagram. */
  onError: (error: Error) => void;
}

export interface DatagramSocket {
  readonly port: number;
  /** Queues or sends one datagram; never throws (UDP may drop, and drops are reported through onSendFailed). */
  send(bytes: Uint8Array, port: number, address: string): void;
  /** One datagram made of `header` then `payload` (ChannelData and Data indications without a copy on dgram). */
  sendParts(header: Uint8Array, payload: Uint8Array, port: number, address: string): void;
  /** Sends what is still queued for this socket, then closes it; nothing is delivered afterwards. */
  close(): void;
}

export type UdpIoKind = 'batched' | 'dgram';

export interface DatagramIo {
  readonly kind: UdpIoKind;
  /** Rejects with the system error (its `code` is EADDRINUSE, EADDRNOTAVAIL, EACCES, …) when the bind fails. */
  bind(options: DatagramBindOptions): Promise<DatagramSocket>;
}

class DgramDatagramSocket implements DatagramSocket {
  private closed = false;

  constructor(
    private readonly socket: ReturnType<typeof createSocket>,
    readonly port: number,
    private readonly onSendFailed: (count: number) => void,
  ) {}

  // dgram throws synchronously for a destination it refuses to try (port 0, a malformed
  // address); a peer address comes from a client, so that is a dropped datagram, not an exception.
  send(bytes: Uint8Array, port: number, address: string): void {
    if (this.closed) return;
    try {
      this.socket.send(bytes, port, address);
    } catch {
      this.onSendFailed(1);
    }
  }

  sendParts(header: Uint8Array, payload: Uint8Array, port: number, address: string): void {
    if (this.closed) return;
    try {
      this.socket.send([header, payload], port, address);
    } catch {
      this.onSendFailed(1);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

/** node:dgram: the portable path, and the fallback when the batched addon is not built. */
export const dgramIo: DatagramIo = {
  kind: 'dgram',
  bind(options) {
    const { family } = options;
    const socket = createSocket({
      type: family === 6 ? 'udp6' : 'udp4',
      ipv6Only: family === 6,
      lookup: literalLookup(family),
      recvBufferSize: options.bufferBytes,
      sendBufferSize: options.bufferBytes,
    });
    return new Promise((resolve, reject) => {
      const onBindError = (error: Error) => {
        try {
          socket.close();
        } catch {
          // never bound
        }
        reject(error);
      };
      socket.once('error', onBindError);
      socket.bind(options.port, options.address, () => {
        socket.off('error', onBindError);
        socket.on('message', (datagram, remote) => options.onDatagram(datagram, remote.address, remote.port));
        // A send without a callback reports no asynchronous failure on dgram (a full send buffer queues in libuv).
        socket.on('error', options.onError);
        resolve(new DgramDatagramSocket(socket, socket.address().port, options.onSendFailed));
      });
    });
  },
};
