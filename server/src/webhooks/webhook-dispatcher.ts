import { randomUUID } from 'node:crypto';
import type { WebhookEvent } from '@parley/protocol';
import { WEBHOOK_SIGNATURE_HEADER } from '@parley/protocol';
import type { Logger } from '@parley/runtime';
import type { ClusterEvent } from '../cluster/index.js';
import type { SignalConfig } from '../config/index.js';
import { loggableUrl, type SignalMetrics } from '../observability/index.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { signWebhookBody } from './signature.js';

interface Endpoint {
  url: string;
  queue: WebhookEvent[];
  /** True while a delivery (or its retry wait) is in progress. */
  busy: boolean;
  retryTimer: TimerHandle | undefined;
  /** Ends the current retry wait early (on stop). */
  wake: (() => void) | undefined;
}

/**
 * Delivers lifecycle events to the configured webhook endpoints. Each endpoint has its own
 * bounded queue worked one event at a time, in order; a failed delivery is retried with
 * exponential backoff and jitter up to `maxAttempts`, then dropped. Enqueueing is O(1) and
 * never waits, so a slow or dead endpoint can never hold up the broker: when its queue is full,
 * new events for it are dropped and counted.
 */
export class WebhookDispatcher {
  private readonly endpoints: Endpoint[];
  private stopped = false;
  private readonly inFlight = new Set<AbortController>();
  private lastDropLogMs = 0;

  constructor(
    private readonly config: SignalConfig['webhooks'],
    private readonly nodeId: string,
    private readonly clock: Clock,
    private readonly metrics: SignalMetrics,
    private readonly log: Logger,
  ) {
    this.endpoints = config.urls.map((url) => ({ url, queue: [], busy: false, retryTimer: undefined, wake: undefined }));
  }

  get enabled(): boolean {
    return this.endpoints.length > 0;
  }

  /** Turns a cluster event into a webhook event and queues it for every endpoint. */
  onClusterEvent(event: ClusterEvent): void {
    if (!this.enabled || this.stopped) return;
    const webhook: WebhookEvent = {
      id: randomUUID(),
      event: event.type,
      createdAtMs: event.timeMs,
      nodeId: this.nodeId,
      room: event.room as WebhookEvent['room'],
    };
    if (event.type === 'peer.joined' || event.type === 'peer.left') {
      webhook.peer = { peerId: event.peerId as never, userId: event.userId as never };
    }
    if (event.type === 'peer.left' || event.type === 'room.finished') webhook.reason = event.reason;
    for (const endpoint of this.endpoints) this.enqueue(endpoint, webhook);
  }

  private enqueue(endpoint: Endpoint, event: WebhookEvent): void {
    if (endpoint.queue.length >= this.config.maxQueue) {
      this.metrics.webhookDeliveries.labels('dropped').inc();
      const now = this.clock.now();
      if (now - this.lastDropLogMs > 10_000) {
        this.lastDropLogMs = now;
        this.log.warn({ url: loggableUrl(endpoint.url), queued: endpoint.queue.length }, 'webhook queue full, dropping events');
      }
      return;
    }
    endpoint.queue.push(event);
    this.metrics.webhookQueue.inc();
    if (!endpoint.busy) void this.work(endpoint);
  }

  private async work(endpoint: Endpoint): Promise<void> {
    endpoint.busy = true;
    while (!this.stopped && endpoint.queue.length > 0) {
      const event = endpoint.queue[0]!;
      await this.deliverWithRetries(endpoint, event);
      endpoint.queue.shift();
      this.metrics.webhookQueue.dec();
    }
    endpoint.busy = false;
  }

  private async deliverWithRetries(endpoint: Endpoint, event: WebhookEvent): Promise<void> {
    const body = JSON.stringify(event);
    for (let attempt = 1; attempt <= this.config.maxAttempts && !this.stopped; attempt++) {
      if (await this.post(endpoint.url, body)) {
        this.metrics.webhookDeliveries.labels('delivered').inc();
        return;
      }
      if (attempt === this.config.maxAttempts) break;
      this.metrics.webhookDeliveries.labels('retried').inc();
      await this.sleep(endpoint, this.backoffMs(attempt));
    }
    this.metrics.webhookDeliveries.labels('failed').inc();
    this.log.warn({ url: loggableUrl(endpoint.url), event: event.event, eventId: event.id }, 'webhook delivery failed');
  }

  /** Full-jitter exponential backoff: uniform in [base/2, base], base = initial × 2^(attempt-1). */
  private backoffMs(attempt: number): number {
    const base = Math.min(this.config.maxBackoffMs, this.config.initialBackoffMs * 2 ** (attempt - 1));
    return Math.round(base / 2 + Math.random() * (base / 2));
  }

  private sleep(endpoint: Endpoint, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        endpoint.retryTimer?.cancel();
        endpoint.retryTimer = undefined;
        endpoint.wake = undefined;
        resolve();
      };
      endpoint.wake = wake;
      endpoint.retryTimer = this.clock.setTimer(ms, wake);
    });
  }

  private async post(url: string, body: string): Promise<boolean> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.config.timeoutMs);
    try {
      const timestampSeconds = Math.floor(this.clock.now() / 1000);
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'parley-webhooks/1',
          [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(this.config.secret, body, timestampSeconds),
        },
        body,
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status >= 200 && response.status < 300;
    } catch {
      return false;
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
  }

  /** Stops delivering; pending events are dropped (they were best-effort). */
  stop(): void {
    this.stopped = true;
    for (const endpoint of this.endpoints) endpoint.wake?.();
    for (const controller of this.inFlight) controller.abort();
  }
}
