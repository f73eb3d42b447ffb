import { section } from '@parley/runtime';
import { z } from 'zod';
import { DEFAULT_DENIED_PEERS, parseCidr } from './allocation/peer-policy.js';
import { canonicalIp } from './stun/address.js';

/**
 * The TURN relay's configuration: one strict schema, every leaf with a default and a description.
 * Env names derive from the path with the PARLEY_TURN_ prefix (runtime's loadConfig).
 */
export const TURN_ENV_PREFIX = 'PARLEY_TURN_';

const ipLiteral = z.string().refine((value) => canonicalIp(value) !== null, 'must be an IPv4 or IPv6 literal');
const cidr = z.string().refine((value) => {
  try {
    parseCidr(value);
    return true;
  } catch {
    return false;
  }
}, 'must be an IP address or CIDR (a.b.c.d/n, x::y/n)');
const port = z.number().int().min(0).max(65535);

export const TurnConfigSchema = z
  .strictObject({
    nodeId: z.string().max(128).default('').meta({ description: 'Node id reported on /v1/status; empty = hostname and pid' }),
    realm: z.string().min(1).max(763).default('parley').meta({ description: 'STUN REALM of the long-term credentials' }),
    software: z.string().max(763).default('parley-turn').meta({ description: 'SOFTWARE attribute in responses; empty to omit' }),
    listen: section({
      hosts: z.array(ipLiteral).min(1).default(['0.0.0.0']).meta({ description: 'IP addresses the UDP/TCP/TLS listeners bind (IPv4 and/or IPv6)' }),
      udpPort: port.default(3478).meta({ description: 'UDP listener port (0 = any free port)' }),
      tcpPort: port.default(3478).meta({ description: 'TCP listener port (0 = any free port)' }),
      tlsPort: port.default(5349).meta({ description: 'TLS listener port (0 = any free port); only when a certificate is configured' }),
      udp: z.boolean().default(true).meta({ description: 'Serve TURN over UDP' }),
      tcp: z.boolean().default(true).meta({ description: 'Serve TURN over TCP' }),
      tlsCertFile: z.string().default('').meta({ description: 'PEM certificate chain for the TLS listener; empty = no TLS' }),
      tlsKeyFile: z.string().default('').meta({ description: 'PEM private key for the TLS listener' }),
      maxStreamConnections: z.number().int().min(1).default(10_000).meta({ description: 'Open TCP+TLS client connections at most' }),
      streamIdleTimeoutSeconds: z.number().int().min(1).default(120).meta({ description: 'Close a TCP/TLS connection without an allocation after this much silence', unit: 'seconds' }),
      maxStreamBufferBytes: z.number().int().min(65_536).default(1_048_576).meta({ description: 'Drop relayed packets to a TCP/TLS client whose unsent data exceeds this', unit: 'bytes' }),
    }),
    externalIp: z.union([ipLiteral, z.literal('')]).default('').meta({ description: 'IPv4 address advertised as the relayed address (NAT, Docker, Kubernetes); empty = the relay IP' }),
    externalIpv6: z.union([ipLiteral, z.literal('')]).default('').meta({ description: 'IPv6 address advertised as the relayed address; empty = the relay IP' }),
    udpIo: z
      .enum(['auto', 'batched', 'dgram'])
      .default('auto')
      .meta({
        description:
          "How UDP datagrams reach the kernel: batched = recvmmsg/sendmmsg through turn/native (Linux; fails at start when not built), dgram = node:dgram, auto = batched when built, else dgram with a warning",
      }),
    relay: section({
      ips: z.array(ipLiteral).default([]).meta({ description: 'Addresses relayed sockets bind, at most one per family; empty = the first concrete listen host of each family' }),
      minPort: z.number().int().min(1).max(65535).default(49152).meta({ description: 'Lowest relay port' }),
      maxPort: z.number().int().min(1).max(65535).default(65535).meta({ description: 'Highest relay port' }),
      hairpin: z
        .boolean()
        .default(true)
        .meta({ description: "Hand packets addressed to another allocation's relayed address on this node straight to it instead of through the network" }),
      recycledSockets: z
        .number()
        .int()
        .min(0)
        .max(1024)
        .default(64)
        .meta({ description: 'Relayed sockets released by ended allocations kept bound for reuse by the next Allocate, per address family (0 = close each one)' }),
    }),
    auth: section({
      secrets: z.array(z.string().min(1)).default([]).meta({ description: 'Shared secrets of the REST credentials (any one verifies; rotate by adding)', secret: true }),
      nonceLifetimeSeconds: z.number().int().min(10).max(86_400).default(600).meta({ description: 'How long a nonce stays valid before 438', unit: 'seconds' }),
      expiryPolicy: z.enum(['allocate-only', 'strict']).default('allocate-only').meta({ description: 'allocate-only: an expired REST username may still refresh; strict: every request and allocation is bounded by it' }),
      maxRevocations: z.number().int().min(1).default(100_000).meta({ description: 'Entries the revocation list holds at most' }),
    }),
    lifetimes: section({
      allocationDefaultSeconds: z.number().int().min(60).default(600).meta({ description: 'Allocation lifetime when the client asks for less or none', unit: 'seconds' }),
      allocationMaxSeconds: z.number().int().min(60).default(3600).meta({ description: 'Longest allocation lifetime granted', unit: 'seconds' }),
      permissionSeconds: z.number().int().min(1).default(300).meta({ description: 'Permission lifetime (RFC 8656: 300)', unit: 'seconds' }),
      channelSeconds: z.number().int().min(1).default(600).meta({ description: 'Channel binding lifetime (RFC 8656: 600)', unit: 'seconds' }),
    }),
    policy: section({
      denyPeers: z.array(cidr).default([...DEFAULT_DENIED_PEERS]).meta({ description: 'Peer addresses (CIDR) no permission may be installed for' }),
      allowPeers: z.array(cidr).default([]).meta({ description: 'Peer addresses (CIDR) allowed even when denied above' }),
    }),
    quotas: section({
      allocationsPerUser: z.number().int().min(1).default(20).meta({ description: 'Live allocations per user (486 beyond)' }),
      totalAllocations: z.number().int().min(1).default(20_000).meta({ description: 'Live allocations on this node (508 beyond)' }),
      permissionsPerAllocation: z.number().int().min(1).default(64).meta({ description: 'Peer IPs with a permission per allocation (508 beyond)' }),
      channelsPerAllocation: z.number().int().min(1).max(4096).default(256).meta({ description: 'Channel bindings per allocation (508 beyond)' }),
      allocationBytesPerSecond: z.number().int().min(0).default(5_000_000).meta({ description: 'Relay bandwidth per allocation, both directions; 0 = unlimited', unit: 'bytes/s' }),
      userBytesPerSecond: z.number().int().min(0).default(10_000_000).meta({ description: 'Relay bandwidth per user over all its allocations; 0 = unlimited', unit: 'bytes/s' }),
      totalBytesPerSecond: z.number().int().min(0).default(0).meta({ description: 'Relay bandwidth of the whole node; 0 = unlimited', unit: 'bytes/s' }),
    }),
    compat: section({
      legacyChannelNumbers: z
        .boolean()
        .default(true)
        .meta({ description: 'Accept channel numbers 0x5000-0x7FFF (the RFC 5766 range that coturn and older clients use); RFC 8656 alone allows 0x4000-0x4FFF' }),
    }),
    http: section({
      host: ipLiteral.default('0.0.0.0').meta({ description: 'Address of the HTTP listener (/metrics, /healthz, /v1/status)' }),
      port: port.default(9641).meta({ description: 'HTTP port (0 = any free port)' }),
      internalToken: z.string().default('').meta({ description: 'Bearer token for /v1/status and /v1/revocations; empty disables both', secret: true }),
    }),
    log: section({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').meta({ description: 'Log level' }),
    }),
  })
  .superRefine((config, context) => {
    if (config.relay.minPort > config.relay.maxPort) context.addIssue({ code: 'custom', path: ['relay', 'minPort'], message: 'must not exceed relay.maxPort' });
    if (config.lifetimes.allocationDefaultSeconds > config.lifetimes.allocationMaxSeconds) {
      context.addIssue({ code: 'custom', path: ['lifetimes', 'allocationDefaultSeconds'], message: 'must not exceed lifetimes.allocationMaxSeconds' });
    }
    if ((config.listen.tlsCertFile === '') !== (config.listen.tlsKeyFile === '')) {
      context.addIssue({ code: 'custom', path: ['listen', 'tlsKeyFile'], message: 'tlsCertFile and tlsKeyFile go together' });
    }
  });

export type TurnConfig = z.infer<typeof TurnConfigSchema>;

type DeepPartial<T> = T extends readonly (infer U)[] ? readonly U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type TurnConfigInput = DeepPartial<TurnConfig>;
