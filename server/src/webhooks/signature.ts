import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `Parley-Signature` header (protocol/src/webhook.ts): `t=<unix seconds>,v1=<hex>` where
 * hex = HMAC-SHA256(secret, "<t>.<raw body>"). Binding the timestamp into the MAC lets a
 * receiver refuse replays older than its tolerance.
 */
export function signWebhookBody(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/** Receiver-side check (used by tests and documented for integrators). */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (!header) return false;
  const fields = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(fields.get('t'));
  const presented = fields.get('v1');
  if (!Number.isInteger(timestamp) || !presented || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = signWebhookBody(secret, body, timestamp).split('v1=')[1]!;
  return expected.length === presented.length && timingSafeEqual(Buffer.from(expected), Buffer.from(presented));
}
