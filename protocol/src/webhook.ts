import { z } from 'zod';
import { PeerId, RoomName, UserId } from './ids.js';

/**
 * Webhook deliveries: `POST` to each configured URL with this JSON body and the header
 * `Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 */
export const WEBHOOK_SIGNATURE_HEADER = 'parley-signature';

export const WebhookEvent = z.object({
  /** Unique per event; receivers deduplicate retries with it. */
  id: z.string(),
  event: z.enum(['room.started', 'room.finished', 'peer.joined', 'peer.left']),
  createdAtMs: z.number(),
  nodeId: z.string(),
  room: RoomName,
  peer: z.object({ peerId: PeerId, userId: UserId }).optional(),
  reason: z.string().optional(),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;
