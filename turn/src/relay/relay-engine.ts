import type { Allocation, ChannelBinding, PeerEntry } from '../allocation/allocation.js';
import type { ClientLink } from '../allocation/ports.js';
import type { ByteBucket } from '../allocation/quotas.js';
import { CHANNEL_DATA_HEADER_BYTES } from '../proto/channel-data.js';
import { ATTR_DATA, ATTR_XOR_PEER_ADDRESS, CLASS_INDICATION, HEADER_BYTES, MAGIC_COOKIE, METHOD_DATA, messageType } from '../stun/constants.js';
import {
  DROP_ALLOCATION_BANDWIDTH,
  DROP_CLIENT_BACKPRESSURE,
  DROP_MALFORMED,
  DROP_NO_CHANNEL,
  DROP_NO_PERMISSION,
  DROP_TOTAL_BANDWIDTH,
  DROP_USER_BANDWIDTH,
  RelayCounters,
} from './counters.js';

/**
 * The data plane: ChannelData and Send indications from clients out to peers, and datagrams from
 * peers back to clients as ChannelData or Data indications (RFC 8656 §10, §11, §12).
 * Per packet it does number and identity lookups only: no JSON, no string building, no closures,
 * no logging, no await; the only allocations are the ones Node's sockets make.
 */

export interface RelayClock {
  nowMs(): number;
}

/** Finds the allocation that owns an advertised relayed transport address of this node, if any. */
export type LocalRelayLookup = (address: string, port: number) => Allocation | undefined;

const DATA_INDICATION_TYPE = messageType(METHOD_DATA, CLASS_INDICATION);
/** Headers of ChannelData sent to UDP clients, reused round-robin: a send completes long before its slot comes back. */
const HEADER_RING_SIZE = 4096;

export class RelayEngine {
  readonly counters = new RelayCounters();
  private readonly headerSlab = Buffer.alloc(HEADER_RING_SIZE * CHANNEL_DATA_HEADER_BYTES);
  private readonly headerRing: Buffer[] = [];
  private headerIndex = 0;
  private transactionCounter = 0;

  /**
   * @param localRelay when set, a packet addressed to another allocation's relayed address on this
   * node is handed to that allocation directly instead of leaving through one socket and coming
   * back through another ("hairpin"): half the system calls for relay-to-relay calls, and it works
   * where the network cannot hairpin to the externalIp (many clouds, Docker, Kubernetes).
   */
  constructor(
    private readonly clock: RelayClock,
    private readonly totalBucket: ByteBucket,
    private readonly localRelay: LocalRelayLookup | null = null,
  ) {
    for (let i = 0; i < HEADER_RING_SIZE; i++) this.headerRing.push(this.headerSlab.subarray(i * 4, i * 4 + 4));
  }

  /** Charges `bytes` to the allocation, its user and the node; counts the drop reason when refused. */
  private admit(allocation: Allocation, bytes: number, nowMs: number): boolean {
    if (!allocation.bucket.take(bytes, nowMs)) {
      this.counters.drops[DROP_ALLOCATION_BANDWIDTH]!++;
      return false;
    }
    if (!allocation.user.bucket.take(bytes, nowMs)) {
      allocation.bucket.refund(bytes);
      this.counters.drops[DROP_USER_BANDWIDTH]!++;
      return false;
    }
    if (!this.totalBucket.take(bytes, nowMs)) {
      allocation.bucket.refund(bytes);
      allocation.user.bucket.refund(bytes);
      this.counters.drops[DROP_TOTAL_BANDWIDTH]!++;
      return false;
    }
    return true;
  }

  /**
   * A ChannelData message from the client of `allocation` (a whole datagram, or one frame of a
   * stream). RFC 8656 §12.6: "If the ChannelData message is received on a channel that is not bound
   * to any peer, then the message is silently discarded."
   */
  fromClientChannelData(allocation: Allocation, message: Buffer): void {
    if (message.length < CHANNEL_DATA_HEADER_BYTES) {
      this.counters.drops[DROP_MALFORMED]!++;
      return;
    }
    const channel = (message[0]! << 8) | message[1]!;
    const length = (message[2]! << 8) | message[3]!;
    if (CHANNEL_DATA_HEADER_BYTES + length > message.length) {
      this.counters.drops[DROP_MALFORMED]!++;
      return;
    }
    const nowMs = this.clock.nowMs();
    const binding = allocation.channels.get(channel);
    if (binding === undefined || binding.expiresAtMs <= nowMs) {
      this.counters.drops[DROP_NO_CHANNEL]!++;
      return;
    }
    const entry = allocation.peers.get(binding.peerAddress);
    if (entry === undefined || entry.permissionExpiresAtMs <= nowMs) {
      this.counters.drops[DROP_NO_PERMISSION]!++;
      return;
    }
    const relay = allocation.relayFor(entry.family);
    if (relay === undefined || !this.admit(allocation, length, nowMs)) {
      if (relay === undefined) this.counters.drops[DROP_NO_PERMISSION]!++;
      return;
    }
    const payload = message.subarray(CHANNEL_DATA_HEADER_BYTES, CHANNEL_DATA_HEADER_BYTES + length);
    if (!this.hairpin(allocation, entry.family, payload, binding.peerAddress, binding.peerPort, nowMs)) relay.send(payload, binding.peerPort, binding.peerAddress);
    this.countToPeer(allocation, length);
  }

  /**
   * The DATA of a Send indication, already decoded by the control plane (RFC 8656 §10.2: "If the
   * Send indication ... has no permission for the peer, the indication is silently discarded").
   */
  fromClientSend(allocation: Allocation, peerAddress: string, peerPort: number, data: Uint8Array): void {
    const nowMs = this.clock.nowMs();
    const entry = allocation.peers.get(peerAddress);
    if (entry === undefined || entry.permissionExpiresAtMs <= nowMs) {
      this.counters.drops[DROP_NO_PERMISSION]!++;
      return;
    }
    const relay = allocation.relayFor(entry.family);
    if (relay === undefined) {
      this.counters.drops[DROP_NO_PERMISSION]!++;
      return;
    }
    if (!this.admit(allocation, data.length, nowMs)) return;
    if (!this.hairpin(allocation, entry.family, data as Buffer, peerAddress, peerPort, nowMs)) relay.send(data, peerPort, peerAddress);
    this.countToPeer(allocation, data.length);
  }

  /**
   * A datagram that arrived on a relayed socket of `allocation`. RFC 8656 §10.3: without a
   * permission for the peer IP it is discarded; with a channel bound to the peer it goes to the
   * client as ChannelData (§12.6), otherwise as a Data indication.
   */
  fromPeer(allocation: Allocation, datagram: Buffer, peerAddress: string, peerPort: number): void {
    this.deliverFromPeer(allocation, datagram, peerAddress, peerPort, this.clock.nowMs());
  }

  /** fromPeer at a time already read: a hairpinned packet reuses its sender's clock reading. */
  private deliverFromPeer(allocation: Allocation, datagram: Buffer, peerAddress: string, peerPort: number, nowMs: number): void {
    const entry = allocation.peers.get(peerAddress);
    if (entry === undefined || entry.permissionExpiresAtMs <= nowMs) {
      this.counters.drops[DROP_NO_PERMISSION]!++;
      return;
    }
    const length = datagram.length;
    if (!this.admit(allocation, length, nowMs)) return;
    const binding = entry.channelForPort(peerPort);
    const client = allocation.client;
    let sent: boolean;
    if (binding !== null && binding.expiresAtMs > nowMs) {
      sent = this.sendChannelData(client, binding, datagram);
    } else {
      client.send(this.dataIndication(entry, peerPort, datagram));
      sent = true;
    }
    if (!sent) {
      this.counters.drops[DROP_CLIENT_BACKPRESSURE]!++;
      return;
    }
    allocation.packetsFromPeers++;
    allocation.bytesFromPeers += length;
    allocation.user.bytesFromPeers += length;
    this.counters.packetsFromPeers++;
    this.counters.bytesFromPeers += length;
  }

  /**
   * Delivers `payload` straight to the allocation that owns (peerAddress, peerPort) on this node,
   * as if it had arrived on that allocation's relayed socket from `from`'s relayed address.
   * Returns false when the destination is not one of ours.
   */
  private hairpin(from: Allocation, family: 4 | 6, payload: Buffer, peerAddress: string, peerPort: number, nowMs: number): boolean {
    if (this.localRelay === null) return false;
    const target = this.localRelay(peerAddress, peerPort);
    if (target === undefined || target.closed) return false;
    const relayed = from.relayedAddresses;
    for (let i = 0; i < relayed.length; i++) {
      const source = relayed[i]!;
      if (source.family === family) {
        this.deliverFromPeer(target, payload, source.address, source.port, nowMs);
        return true;
      }
    }
    return false;
  }

  private sendChannelData(client: ClientLink, binding: ChannelBinding, payload: Buffer): boolean {
    if (client.transport === 'udp') {
      const header = this.headerRing[this.headerIndex]!;
      this.headerIndex = (this.headerIndex + 1) & (HEADER_RING_SIZE - 1);
      header[0] = binding.header[0]!;
      header[1] = binding.header[1]!;
      header[2] = payload.length >> 8;
      header[3] = payload.length & 0xff;
      return client.sendChannelData(header, payload);
    }
    // Stream writes may sit in the socket's queue, so each gets a header of its own.
    const header = Buffer.allocUnsafe(CHANNEL_DATA_HEADER_BYTES);
    header[0] = binding.header[0]!;
    header[1] = binding.header[1]!;
    header[2] = payload.length >> 8;
    header[3] = payload.length & 0xff;
    return client.sendChannelData(header, payload);
  }

  /**
   * A Data indication (§11.4): XOR-PEER-ADDRESS and DATA, written straight into one buffer, byte
   * by byte (the writeUInt*BE helpers check their arguments on every call; these offsets are ours).
   */
  private dataIndication(entry: PeerEntry, peerPort: number, data: Buffer): Buffer {
    const ipLength = entry.ipBytes.length;
    const peerAttributeBytes = 4 + 4 + ipLength;
    const dataLength = data.length;
    const dataPadded = (dataLength + 3) & ~3;
    const total = HEADER_BYTES + peerAttributeBytes + 4 + dataPadded;
    const bodyLength = total - HEADER_BYTES;
    const out = Buffer.allocUnsafe(total);
    out[0] = DATA_INDICATION_TYPE >> 8;
    out[1] = DATA_INDICATION_TYPE & 0xff;
    out[2] = bodyLength >> 8;
    out[3] = bodyLength & 0xff;
    out[4] = MAGIC_COOKIE >>> 24;
    out[5] = (MAGIC_COOKIE >>> 16) & 0xff;
    out[6] = (MAGIC_COOKIE >>> 8) & 0xff;
    out[7] = MAGIC_COOKIE & 0xff;
    // A fresh transaction id per indication (RFC 8489 §6): "prly", four zero bytes, then a counter
    // (unique, and costs nothing).
    const counter = (this.transactionCounter = (this.transactionCounter + 1) >>> 0);
    out[8] = 0x70;
    out[9] = 0x72;
    out[10] = 0x6c;
    out[11] = 0x79;
    out[12] = 0;
    out[13] = 0;
    out[14] = 0;
    out[15] = 0;
    out[16] = counter >>> 24;
    out[17] = (counter >>> 16) & 0xff;
    out[18] = (counter >>> 8) & 0xff;
    out[19] = counter & 0xff;
    let offset = HEADER_BYTES;
    const xorPort = (peerPort ^ (MAGIC_COOKIE >>> 16)) & 0xffff;
    out[offset] = ATTR_XOR_PEER_ADDRESS >> 8;
    out[offset + 1] = ATTR_XOR_PEER_ADDRESS & 0xff;
    out[offset + 2] = 0;
    out[offset + 3] = 4 + ipLength;
    out[offset + 4] = 0;
    out[offset + 5] = ipLength === 4 ? 0x01 : 0x02;
    out[offset + 6] = xorPort >> 8;
    out[offset + 7] = xorPort & 0xff;
    // X-Address: the IP XOR'ed with the cookie and then the transaction id, i.e. with bytes 4.. of the header.
    for (let i = 0; i < ipLength; i++) out[offset + 8 + i] = entry.ipBytes[i]! ^ out[4 + i]!;
    offset += peerAttributeBytes;
    out[offset] = ATTR_DATA >> 8;
    out[offset + 1] = ATTR_DATA & 0xff;
    out[offset + 2] = dataLength >> 8;
    out[offset + 3] = dataLength & 0xff;
    out.set(data, offset + 4);
    for (let i = offset + 4 + dataLength; i < total; i++) out[i] = 0;
    return out;
  }

  private countToPeer(allocation: Allocation, length: number): void {
    allocation.packetsToPeers++;
    allocation.bytesToPeers += length;
    allocation.user.bytesToPeers += length;
    this.counters.packetsToPeers++;
    this.counters.bytesToPeers += length;
  }
}
