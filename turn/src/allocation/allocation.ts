import type { TransportAddress } from '../stun/address.js';
import { ipBytes } from '../stun/address.js';
import { writeChannelDataHeader } from '../proto/channel-data.js';
import type { ClientLink, RelaySocket } from './ports.js';
import { ByteBucket, type UserUsage } from './quotas.js';

/**
 * An allocation (RFC 8656 §2.2): the relayed transport address(es) a client holds on this server,
 * its permissions and channel bindings. Plain state over a clock passed in; the only way out to
 * the network is through the ports it was given.
 */

/** RFC 8656 §11: after a binding expires the number "MUST NOT be rebound to a different peer" for 5 minutes. */
export const CHANNEL_REBIND_COOLDOWN_MS = 5 * 60_000;

export class ChannelBinding {
  /** Next binding of the same peer IP (a peer may hold channels on several ports). */
  next: ChannelBinding | null = null;
  /** The 4-byte ChannelData header prefix for this channel, its length bytes rewritten per send. */
  readonly header = Buffer.alloc(4);

  constructor(
    readonly channel: number,
    readonly peerAddress: string,
    readonly peerPort: number,
    public expiresAtMs: number,
  ) {
    writeChannelDataHeader(this.header, 0, channel, 0);
  }
}

/** Everything the allocation knows about one peer IP: its permission and the channels bound to it. */
export class PeerEntry {
  permissionExpiresAtMs = 0;
  channels: ChannelBinding | null = null;
  /** The peer IP as bytes, for writing XOR-PEER-ADDRESS into Data indications without parsing. */
  readonly ipBytes: Uint8Array;

  constructor(
    readonly address: string,
    readonly family: 4 | 6,
  ) {
    this.ipBytes = ipBytes(address)!;
  }

  channelForPort(port: number): ChannelBinding | null {
    for (let binding = this.channels; binding !== null; binding = binding.next) if (binding.peerPort === port) return binding;
    return null;
  }
}

export interface AllocationInit {
  id: string;
  client: ClientLink;
  username: string;
  userId: string | null;
  room: string | null;
  /** Unix seconds when the credential expires (REST username prefix). */
  credentialExpiresAtSeconds: number;
  relays: RelaySocket[];
  relayedAddresses: TransportAddress[];
  nowMs: number;
  lifetimeSeconds: number;
  bandwidthBytesPerSecond: number;
  user: UserUsage;
  /** Transaction id (hex) of the Allocate request that created it, to answer retransmissions. */
  transactionIdHex: string;
}

export class Allocation {
  readonly id: string;
  readonly client: ClientLink;
  readonly username: string;
  readonly userId: string | null;
  readonly room: string | null;
  readonly credentialExpiresAtSeconds: number;
  readonly relays: RelaySocket[];
  readonly relayedAddresses: TransportAddress[];
  readonly createdAtMs: number;
  expiresAtMs: number;
  readonly peers = new Map<string, PeerEntry>();
  readonly channels = new Map<number, ChannelBinding>();
  readonly bucket: ByteBucket;
  readonly user: UserUsage;
  readonly transactionIdHex: string;
  /** The success response sent for the creating Allocate, resent on retransmission (RFC 8656 §7.2). */
  allocateResponse: Buffer | null = null;
  bytesToPeers = 0;
  bytesFromPeers = 0;
  packetsToPeers = 0;
  packetsFromPeers = 0;
  closed = false;

  constructor(init: AllocationInit) {
    this.id = init.id;
    this.client = init.client;
    this.username = init.username;
    this.userId = init.userId;
    this.room = init.room;
    this.credentialExpiresAtSeconds = init.credentialExpiresAtSeconds;
    this.relays = init.relays;
    this.relayedAddresses = init.relayedAddresses;
    this.createdAtMs = init.nowMs;
    this.expiresAtMs = init.nowMs + init.lifetimeSeconds * 1000;
    this.bucket = new ByteBucket(init.bandwidthBytesPerSecond, init.nowMs);
    this.user = init.user;
    this.transactionIdHex = init.transactionIdHex;
  }

  /** The relayed socket that talks to peers of `family`, if the allocation has one. */
  relayFor(family: 4 | 6): RelaySocket | undefined {
    for (const relay of this.relays) if (relay.family === family) return relay;
    return undefined;
  }

  hasFamily(family: 4 | 6): boolean {
    return this.relayFor(family) !== undefined;
  }

  /** Number of peer IPs with a live permission. */
  permissionCount(nowMs: number): number {
    let count = 0;
    for (const entry of this.peers.values()) if (entry.permissionExpiresAtMs > nowMs) count++;
    return count;
  }

  hasPermission(address: string, nowMs: number): boolean {
    const entry = this.peers.get(address);
    return entry !== undefined && entry.permissionExpiresAtMs > nowMs;
  }

  /** RFC 8656 §9: install or refresh the permission for a peer IP (ports are ignored). */
  installPermission(address: string, family: 4 | 6, expiresAtMs: number): PeerEntry {
    let entry = this.peers.get(address);
    if (!entry) {
      entry = new PeerEntry(address, family);
      this.peers.set(address, entry);
    }
    entry.permissionExpiresAtMs = Math.max(entry.permissionExpiresAtMs, expiresAtMs);
    return entry;
  }

  /**
   * Whether `channel` may be bound to peer (address, port) now: RFC 8656 §11.2 refuses a channel
   * bound to another peer address, and a peer address bound to another channel.
   */
  channelBindConflict(channel: number, address: string, port: number, nowMs: number): boolean {
    const existing = this.channels.get(channel);
    if (existing && (existing.peerAddress !== address || existing.peerPort !== port) && existing.expiresAtMs + CHANNEL_REBIND_COOLDOWN_MS > nowMs) {
      return true;
    }
    const other = this.peers.get(address)?.channelForPort(port);
    return other !== null && other !== undefined && other.channel !== channel && other.expiresAtMs > nowMs;
  }

  /** Binds or refreshes a channel and the permission it implies (§11.2). */
  bindChannel(channel: number, address: string, family: 4 | 6, port: number, channelExpiresAtMs: number, permissionExpiresAtMs: number): ChannelBinding {
    const entry = this.installPermission(address, family, permissionExpiresAtMs);
    let binding = this.channels.get(channel);
    if (binding && (binding.peerAddress !== address || binding.peerPort !== port)) {
      this.unlinkChannel(binding);
      binding = undefined;
    }
    if (!binding) {
      binding = new ChannelBinding(channel, address, port, channelExpiresAtMs);
      this.channels.set(channel, binding);
      binding.next = entry.channels;
      entry.channels = binding;
    }
    binding.expiresAtMs = channelExpiresAtMs;
    return binding;
  }

  private unlinkChannel(binding: ChannelBinding): void {
    const entry = this.peers.get(binding.peerAddress);
    if (!entry) return;
    if (entry.channels === binding) {
      entry.channels = binding.next;
      return;
    }
    for (let current = entry.channels; current !== null; current = current.next) {
      if (current.next === binding) {
        current.next = binding.next;
        return;
      }
    }
  }

  /** Drops expired permissions and channels (RFC 8656 §9, §11); channels linger for the rebind cooldown. */
  sweep(nowMs: number): void {
    for (const [channel, binding] of this.channels) {
      if (binding.expiresAtMs <= nowMs) this.unlinkChannel(binding);
      if (binding.expiresAtMs + CHANNEL_REBIND_COOLDOWN_MS <= nowMs) this.channels.delete(channel);
    }
    for (const [address, entry] of this.peers) {
      if (entry.permissionExpiresAtMs <= nowMs && entry.channels === null) this.peers.delete(address);
    }
  }

  /** Live channel bindings. */
  channelCount(nowMs: number): number {
    let count = 0;
    for (const binding of this.channels.values()) if (binding.expiresAtMs > nowMs) count++;
    return count;
  }
}
