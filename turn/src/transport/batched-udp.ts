import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { formatIpv6, ipBytes, Ipv4TextCache } from '../stun/address.js';
import type { DatagramBindOptions, DatagramIo, DatagramSocket } from './datagram-socket.js';

/**
 * Batched UDP I/O through turn/native/udp_batch.c: a readable socket is drained with recvmmsg
 * and its datagrams reach JavaScript in one call; sends are queued in a shared arena and handed
 * to the kernel with one sendmmsg per run of one socket. The queue is flushed
 *  - when a received batch has been handled (what it caused goes out together),
 *  - from a microtask when a send happens outside a batch (timers, TCP clients, async replies),
 *  - before a socket closes: a closed descriptor number is reused by the next socket, and a
 *    datagram queued for the old one would otherwise leave from the new one's address,
 *  - at once when the queue or its arena is full.
 * The addon keeps its shared arrays in process-wide state, so there is one BatchedUdpIo per process.
 */
export const NATIVE_BUILD_COMMAND = 'npm run build:native -w @parley/turn';
const ADDON_PATH = fileURLToPath(new URL('../../native/build/Release/udp_batch.node', import.meta.url));

/** Datagrams per recvmmsg (BATCH in udp_batch.c; init() refuses a smaller rxMeta). */
const RX_BATCH = 64;
const RX_STRIDE = 8;
const TX_STRIDE = 9;
/** Queued datagrams at most before a flush; sendmmsg takes 64 per call. */
const TX_ENTRIES = 1024;
/** Bytes of queued datagrams at most before a flush: more than one largest datagram. */
const TX_ARENA_BYTES = 1024 * 1024;
/** Address strings kept per direction; cleared when full (a relay talks to a bounded set of peers at a time). */
const ADDRESS_CACHE_ENTRIES = 16_384;

interface UdpBatchAddon {
  init(rxMeta: Int32Array, txMeta: Int32Array, txData: Uint8Array): number;
  open(family: 4 | 6, address: string, port: number, bufferBytes: number, onBatch: (buffer: Buffer, count: number) => void): [unknown, number, number];
  start(handle: unknown): void;
  close(handle: unknown): void;
  flush(count: number): number;
}

export type BatchedUdpLoad = { ok: true; io: BatchedUdpIo } | { ok: false; reason: string };

let loaded: BatchedUdpLoad | null = null;

/** The process's batched I/O, or why it cannot be had here (not Linux, not built, failed to load). */
export function loadBatchedUdp(): BatchedUdpLoad {
  if (loaded !== null) return loaded;
  if (process.platform !== 'linux') loaded = { ok: false, reason: `batched UDP I/O needs Linux (recvmmsg/sendmmsg); this is ${process.platform}` };
  else if (!existsSync(ADDON_PATH)) loaded = { ok: false, reason: `the batched UDP addon is not built (${ADDON_PATH} is missing); build it with: ${NATIVE_BUILD_COMMAND}` };
  else {
    try {
      const addon = createRequire(import.meta.url)(ADDON_PATH) as UdpBatchAddon;
      loaded = { ok: true, io: new BatchedUdpIo(addon) };
    } catch (error) {
      loaded = { ok: false, reason: `the batched UDP addon did not load (${(error as Error).message}); rebuild it with: ${NATIVE_BUILD_COMMAND}` };
    }
  }
  return loaded;
}

class BatchedDatagramSocket implements DatagramSocket {
  closed = false;
  handle: unknown = null;
  fd = -1;
  port = 0;
  /** The addon holds this weakly: it lives as long as this socket, so a dropped socket can be collected and its descriptor closed. */
  readonly onBatch: (buffer: Buffer, count: number) => void;

  constructor(
    private readonly io: BatchedUdpIo,
    readonly family: 4 | 6,
    readonly options: DatagramBindOptions,
  ) {
    this.onBatch = (buffer, count) => io.deliver(this, buffer, count);
  }

  send(bytes: Uint8Array, port: number, address: string): void {
    if (!this.closed) this.io.enqueue(this, bytes, null, port, address);
  }

  sendParts(header: Uint8Array, payload: Uint8Array, port: number, address: string): void {
    if (!this.closed) this.io.enqueue(this, header, payload, port, address);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.io.closeSocket(this);
  }
}

export class BatchedUdpIo implements DatagramIo {
  readonly kind = 'batched' as const;
  private readonly rxMeta: Int32Array;
  private readonly rxBytes: Uint8Array;
  /** Per queued datagram: fd, offset, length, port, family, address (4 words); a failed one's fd becomes -errno. */
  private readonly txMeta = new Int32Array(TX_ENTRIES * TX_STRIDE);
  private readonly txMetaBytes = new Uint8Array(this.txMeta.buffer);
  private readonly txData = new Uint8Array(TX_ARENA_BYTES);
  /** The socket of each queued entry, to report a failed send to its owner. */
  private readonly txOwners: (BatchedDatagramSocket | null)[] = new Array<BatchedDatagramSocket | null>(TX_ENTRIES).fill(null);
  private queued = 0;
  private queuedBytes = 0;
  private inBatch = 0;
  private flushScheduled = false;
  /** Texts of received IPv4 addresses. */
  private readonly ipv4Texts = new Ipv4TextCache(ADDRESS_CACHE_ENTRIES);
  /** Destination text → its address bytes (4 or 16). */
  private readonly destinationBytes = new Map<string, Uint8Array>();
  private readonly flushMicrotask = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  constructor(private readonly addon: UdpBatchAddon) {
    this.rxMeta = new Int32Array(RX_BATCH * RX_STRIDE);
    this.rxBytes = new Uint8Array(this.rxMeta.buffer);
    addon.init(this.rxMeta, this.txMeta, this.txData);
  }

  bind(options: DatagramBindOptions): Promise<DatagramSocket> {
    const socket = new BatchedDatagramSocket(this, options.family, options);
    try {
      const [handle, fd, port] = this.addon.open(options.family, options.address, options.port, options.bufferBytes, socket.onBatch);
      socket.handle = handle;
      socket.fd = fd;
      socket.port = port;
      this.addon.start(handle);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return Promise.resolve(socket);
  }

  deliver(socket: BatchedDatagramSocket, buffer: Buffer, count: number): void {
    const meta = this.rxMeta;
    const onDatagram = socket.options.onDatagram;
    this.inBatch++;
    try {
      for (let i = 0; i < count && !socket.closed; i++) {
        const base = i * RX_STRIDE;
        const offset = meta[base]!;
        const datagram = buffer.subarray(offset, offset + meta[base + 1]!);
        onDatagram(datagram, meta[base + 3] === 6 ? formatIpv6(this.rxBytes, (base + 4) * 4) : this.ipv4Name(base), meta[base + 2]!);
      }
    } finally {
      this.inBatch--;
      this.flush();
    }
  }

  /** The sender's IPv4 text; the address bytes are in network order, so they are read byte by byte. */
  private ipv4Name(base: number): string {
    const bytes = this.rxBytes;
    const at = (base + 4) * 4;
    return this.ipv4Texts.text((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
  }

  private destination(address: string, family: 4 | 6): Uint8Array | null {
    let bytes = this.destinationBytes.get(address);
    if (bytes === undefined) {
      const parsed = ipBytes(address);
      if (parsed === null) return null;
      bytes = parsed;
      if (this.destinationBytes.size >= ADDRESS_CACHE_ENTRIES) this.destinationBytes.clear();
      this.destinationBytes.set(address, bytes);
    }
    return bytes.length === (family === 4 ? 4 : 16) ? bytes : null;
  }

  enqueue(socket: BatchedDatagramSocket, head: Uint8Array, tail: Uint8Array | null, port: number, address: string): void {
    const length = head.length + (tail === null ? 0 : tail.length);
    const ip = this.destination(address, socket.family);
    if (ip === null || length > TX_ARENA_BYTES) {
      socket.options.onSendFailed(1);
      return;
    }
    if (this.queued === TX_ENTRIES || this.queuedBytes + length > TX_ARENA_BYTES) this.flush();
    const index = this.queued++;
    const offset = this.queuedBytes;
    this.txData.set(head, offset);
    if (tail !== null) this.txData.set(tail, offset + head.length);
    this.queuedBytes += length;
    const base = index * TX_STRIDE;
    const meta = this.txMeta;
    meta[base] = socket.fd;
    meta[base + 1] = offset;
    meta[base + 2] = length;
    meta[base + 3] = port;
    meta[base + 4] = socket.family;
    this.txMetaBytes.set(ip, (base + 5) * 4);
    this.txOwners[index] = socket;
    if (this.inBatch === 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(this.flushMicrotask);
    }
  }

  /** Hands every queued datagram to the kernel and reports the ones it refused to their sockets. */
  flush(): void {
    const count = this.queued;
    if (count === 0) return;
    this.queued = 0;
    this.queuedBytes = 0;
    const failed = this.addon.flush(count);
    if (failed > 0) {
      for (let i = 0; i < count; i++) if (this.txMeta[i * TX_STRIDE]! < 0) this.txOwners[i]!.options.onSendFailed(1);
    }
    this.txOwners.fill(null, 0, count);
  }

  closeSocket(socket: BatchedDatagramSocket): void {
    // Before the descriptor number can be reused by another socket, see the class comment.
    this.flush();
    this.addon.close(socket.handle);
  }
}
