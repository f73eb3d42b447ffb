import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_SIGNATURE_HEADER, WebhookEvent } from '@parley/protocol';
import { waitFor } from '@parley/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../src/index.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const SECRET = 'webhook-signing-secret-0123';

interface Delivery {
  body: string;
  signature: string | undefined;
  event: WebhookEvent;
  verified: boolean;
}

/** A real HTTP receiver that checks each delivery's signature the way an integrator would. */
async function receiver(options: { failFirst?: number; status?: number } = {}) {
  const deliveries: Delivery[] = [];
  let attempts = 0;
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      attempts++;
      if (attempts <= (options.failFirst ?? 0)) {
        response.writeHead(options.status ?? 503).end();
        return;
      }
      const signature = request.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined;
      const verified = verifyWebhookSignature(SECRET, body, signature, Math.floor(Date.now() / 1000));
      deliveries.push({ body, signature, event: WebhookEvent.parse(JSON.parse(body)), verified });
      response.writeHead(verified ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/parley`,
    deliveries,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhooks', () => {
  let t: TestServer | undefined;
  let hook: Awaited<ReturnType<typeof receiver>> | undefined;
  afterEach(async () => {
    await t?.stop();
    await hook?.close();
    t = undefined;
    hook = undefined;
  });

  it('delivers room and peer lifecycle events, each signed with HMAC-SHA256 over the timestamp and body', async () => {
    hook = await receiver();
    t = await startTestServer({ config: { webhooks: { urls: [hook.url], secret: SECRET }, rooms: { departureTimeoutSeconds: 0 } } });
    const alice = await t.joinAs('alice', 'hooked');
    await alice.client.request({ type: 'room.leave', room: 'hooked' });
    await waitFor(() => hook!.deliveries.length >= 4, { what: 'four webhook deliveries' });
    expect(hook.deliveries.map((delivery) => delivery.event.event)).toEqual(['room.started', 'peer.joined', 'peer.left', 'room.finished']);
    expect(hook.deliveries.every((delivery) => delivery.verified)).toBe(true);
    const [, joined, left, finished] = hook.deliveries.map((delivery) => delivery.event);
    expect(joined).toMatchObject({ room: 'hooked', nodeId: t.server.nodeId, peer: { peerId: alice.session.peerId, userId: 'alice' } });
    expect(left).toMatchObject({ reason: 'left' });
    expect(finished).toMatchObject({ reason: 'departure_timeout' });
    expect(new Set(hook.deliveries.map((delivery) => delivery.event.id)).size).toBe(4);
    // The signature commits to the body: any change breaks it.
    const first = hook.deliveries[0]!;
    expect(verifyWebhookSignature(SECRET, first.body.replace('hooked', 'hacked'), first.signature, Math.floor(Date.now() / 1000))).toBe(false);
    expect(verifyWebhookSignature('not-the-secret-at-all', first.body, first.signature, Math.floor(Date.now() / 1000))).toBe(false);
  });

  it('retries a failing endpoint with backoff until it accepts, without holding up the broker', async () => {
    hook = await receiver({ failFirst: 3 });
    t = await startTestServer({ config: { webhooks: { urls: [hook.url], secret: SECRET, initialBackoffMs: 20, maxBackoffMs: 100 } } });
    const alice = await t.joinAs('alice', 'retry');
    // The broker answers at once while deliveries are being retried.
    expect((await alice.client.request({ type: 'ping' })).type).toBe('pong');
    await waitFor(() => hook!.deliveries.length >= 2, { what: 'deliveries after retries' });
    expect(hook.attempts()).toBe(5);
    expect(hook.deliveries.map((delivery) => delivery.event.event)).toEqual(['room.started', 'peer.joined']);
    const metrics = await (await fetch(`${t.server.url}/metrics`)).text();
    expect(metrics).toMatch(/parley_signal_webhook_deliveries_total\{outcome="retried"\} 3/);
    expect(metrics).toMatch(/parley_signal_webhook_deliveries_total\{outcome="delivered"\} 2/);
  });

  it('drops events beyond the bounded queue of a dead endpoint and counts them', async () => {
    hook = await receiver({ failFirst: 1_000_000 });
    t = await startTestServer({ config: { webhooks: { urls: [hook.url], secret: SECRET, maxQueue: 3, initialBackoffMs: 60_000, maxAttempts: 2 } } });
    for (let index = 0; index < 4; index++) await t.joinAs(`user-${index}`, `room-${index}`);
    const metrics = await (await fetch(`${t.server.url}/metrics`)).text();
    // 8 events (4 rooms started + 4 joins), 3 fit the queue.
    expect(metrics).toMatch(/parley_signal_webhook_deliveries_total\{outcome="dropped"\} 5/);
    expect(metrics).toMatch(/parley_signal_webhook_queue_events 3/);
  });
});
