import { z } from 'zod';
import { IceServer } from './messages/shared.js';

/** `POST /v1/turn/credentials` body (all optional). */
export const TurnCredentialsRequest = z.strictObject({
  /** Attribute relay usage to this room; the token must be allowed to join it. */
  room: z.string().min(1).max(128).optional(),
  /** Requested lifetime; capped by the server's configured maximum. */
  ttlSeconds: z.number().int().min(60).max(86_400).optional(),
});
export type TurnCredentialsRequest = z.infer<typeof TurnCredentialsRequest>;

/** `POST /v1/turn/credentials` answer: a coturn-compatible REST credential. */
export const TurnCredentialsResponse = z.object({
  iceServers: z.array(IceServer),
  username: z.string(),
  credential: z.string(),
  /** Seconds the credential lives from issue (the coturn REST API's "ttl"). */
  ttl: z.number().int(),
  /** Unix epoch seconds. */
  expiresAt: z.number().int(),
});
export type TurnCredentialsResponse = z.infer<typeof TurnCredentialsResponse>;

/** One allocation as a TURN node reports it on `GET /v1/status`. */
export const TurnAllocationStatus = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  room: z.string().nullable(),
  /** The transport between client and relay. */
  transport: z.enum(['udp', 'tcp', 'tls']),
  clientAddress: z.string(),
  relayedAddresses: z.array(z.string()),
  /** Bytes the client sent to peers through the relay. */
  bytesToPeers: z.number(),
  /** Bytes peers sent to the client through the relay. */
  bytesFromPeers: z.number(),
  permissions: z.number().int(),
  channels: z.number().int(),
  createdAtMs: z.number(),
  expiresAtMs: z.number(),
});
export type TurnAllocationStatus = z.infer<typeof TurnAllocationStatus>;

/** `GET /v1/status` on a TURN node (internal token required). */
export const TurnNodeStatus = z.object({
  nodeId: z.string(),
  version: z.string(),
  startedAtMs: z.number(),
  listeners: z.array(z.object({ transport: z.enum(['udp', 'tcp', 'tls']), address: z.string(), port: z.number().int() })),
  totals: z.object({
    allocations: z.number().int(),
    bytesToPeers: z.number(),
    bytesFromPeers: z.number(),
    packetsDropped: z.number(),
  }),
  allocations: z.array(TurnAllocationStatus),
});
export type TurnNodeStatus = z.infer<typeof TurnNodeStatus>;

/** `POST /v1/revocations` on a TURN node (internal token required). */
export const TurnRevocation = z.strictObject({
  /** Refuse every credential of this user until `untilSeconds`. */
  userId: z.string().optional(),
  /** Refuse this exact TURN username. */
  username: z.string().optional(),
  untilSeconds: z.number().int(),
});
export type TurnRevocation = z.infer<typeof TurnRevocation>;
