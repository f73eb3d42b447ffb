import { z } from 'zod';
import { PeerId, UserId } from '../ids.js';

/** Application-defined JSON (peer metadata, broadcast data, state values, signal payloads). */
export const JsonValue: z.ZodType<unknown> = z.unknown().refine((value) => value !== undefined, 'a value is required');

/** Peer metadata set at join time (display name, avatar...): an object of JSON values. */
export const PeerMeta = z.record(z.string().max(64), z.unknown());
export type PeerMeta = z.infer<typeof PeerMeta>;

/** An ICE server entry as RTCPeerConnection takes it. */
export const IceServer = z.object({
  urls: z.array(z.string()).min(1),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServer>;

/** A peer as others see it. */
export const PeerDescriptor = z.object({
  peerId: PeerId,
  userId: UserId,
  meta: PeerMeta.optional(),
  /** Unix epoch milliseconds when the peer joined the room. */
  joinedAtMs: z.number(),
});
export type PeerDescriptor = z.infer<typeof PeerDescriptor>;

/**
 * A remote peer as seen by one recipient. `polite` tells the recipient which role to play
 * towards this peer in the W3C perfect-negotiation pattern; the server guarantees that of any
 * two peers exactly one is polite towards the other (the one that joined later is impolite).
 */
export const RemotePeer = PeerDescriptor.extend({ polite: z.boolean() });
export type RemotePeer = z.infer<typeof RemotePeer>;

/** Why a peer left a room, as told to the others. */
export const PeerLeftReason = z.enum(['left', 'timeout', 'kicked', 'room_closed', 'disconnected']);
export type PeerLeftReason = z.infer<typeof PeerLeftReason>;

/** Why a room closed, as told to its peers. */
export const RoomClosedReason = z.enum(['admin', 'empty_timeout', 'departure_timeout', 'max_duration', 'drain']);
export type RoomClosedReason = z.infer<typeof RoomClosedReason>;

/** The network path of one peer connection, summarised from getStats(). */
export const CandidateType = z.enum(['host', 'srflx', 'prflx', 'relay']);
export type CandidateType = z.infer<typeof CandidateType>;
export const ConnectionPath = z.enum(['direct', 'relay', 'unknown']);
export type ConnectionPath = z.infer<typeof ConnectionPath>;
export const RelayProtocol = z.enum(['udp', 'tcp', 'tls']);
export type RelayProtocol = z.infer<typeof RelayProtocol>;

/** One client-side connection summary inside a `stats` report. */
export const ConnectionStats = z.object({
  /** The remote peer this RTCPeerConnection talks to. */
  remotePeerId: PeerId,
  path: ConnectionPath,
  /** For relayed paths, how this client reaches its TURN server. */
  relayProtocol: RelayProtocol.optional(),
  localCandidateType: CandidateType.optional(),
  remoteCandidateType: CandidateType.optional(),
  rttMs: z.number().min(0).max(60_000).optional(),
  /** Fraction of packets lost, 0..1. */
  lossRatio: z.number().min(0).max(1).optional(),
  jitterMs: z.number().min(0).max(60_000).optional(),
  bitrateInBps: z.number().min(0).max(1e10).optional(),
  bitrateOutBps: z.number().min(0).max(1e10).optional(),
});
export type ConnectionStats = z.infer<typeof ConnectionStats>;

export const StatsReport = z.object({
  connections: z.array(ConnectionStats).max(64),
});
export type StatsReport = z.infer<typeof StatsReport>;
