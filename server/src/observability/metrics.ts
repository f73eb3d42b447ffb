import { CLIENT_MESSAGE_TYPES, ERROR_CODES, type ClientMessageType, type ConnectionPath, type ErrorCode, type QualityGrade } from '@parley/protocol';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type CounterConfiguration, type GaugeConfiguration } from 'prom-client';

/**
 * Every metric of the signal server, in one registry per server instance (several servers in
 * one test process never collide). Names follow Prometheus conventions: `parley_signal_` prefix,
 * base units, `_total` only on counters; labels are bounded enums (message type, error code,
 * reason), never a room, user or address.
 *
 * Error and limit counters are bound to their label values once, so counting is a lookup and
 * an add.
 */
export type ConnectionOutcome = 'accepted' | 'rejected';
export type LimitKind = 'messages' | 'bytes' | 'joins';
export type WebhookOutcome = 'delivered' | 'retried' | 'failed' | 'dropped';

/** Live state read when /metrics is scraped. */
export interface MetricSources {
  connections(): number;
  sessions(): { connected: number; detached: number };
  rooms(): RoomGaugeSnapshot;
  ready(): boolean;
  draining(): boolean;
}

export interface RoomGaugeSnapshot {
  rooms: number;
  peers: number;
  paths: Record<ConnectionPath, number>;
  grades: Record<QualityGrade, number>;
}

const EMPTY_ROOMS: RoomGaugeSnapshot = {
  rooms: 0,
  peers: 0,
  paths: { direct: 0, relay: 0, unknown: 0 },
  grades: { good: 0, fair: 0, poor: 0, unknown: 0 },
};

export interface MetricsOptions {
  nodeId: string;
  version: string;
  uwsNative: boolean;
  defaultMetrics: boolean;
}

/** A gauge whose value is read from live state at scrape time. */
function liveGauge<L extends string>(configuration: GaugeConfiguration<L>, read: (gauge: Gauge<L>) => void): Gauge<L> {
  return new Gauge<L>({
    ...configuration,
    collect() {
      read(this);
    },
  });
}

/** A counter whose total is copied from a plain number at scrape time (hot-path counting). */
function liveCounter<L extends string>(configuration: CounterConfiguration<L>, read: (counter: Counter<L>) => void): Counter<L> {
  return new Counter<L>({
    ...configuration,
    collect() {
      read(this);
    },
  });
}

export class SignalMetrics {
  readonly registry = new Registry();

  private sources: MetricSources | undefined;

  // Gauges read the live state when scraped, through the sources the server wires in.
  private readonly connections = liveGauge({
    name: 'parley_signal_connections',
    help: 'Open WebSocket connections.',
    registers: [this.registry],
  }, (gauge) => gauge.set(this.sources?.connections() ?? 0));
  private readonly sessions = liveGauge({
    name: 'parley_signal_sessions',
    help: 'Sessions by state: connected, or detached within the resume grace period.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  }, (gauge) => {
      const counts = this.sources?.sessions() ?? { connected: 0, detached: 0 };
      gauge.labels('connected').set(counts.connected);
      gauge.labels('detached').set(counts.detached);
    });
  private readonly rooms = liveGauge({
    name: 'parley_signal_rooms',
    help: 'Open rooms.',
    registers: [this.registry],
  }, (gauge) => gauge.set(this.roomSnapshot().rooms));
  private readonly roomPeers = liveGauge({
    name: 'parley_signal_room_peers',
    help: 'Peers in rooms, summed over rooms.',
    registers: [this.registry],
  }, (gauge) => gauge.set(this.roomSnapshot().peers));
  private readonly peerPaths = liveGauge({
    name: 'parley_signal_peer_paths',
    help: 'Peers in rooms by network path of their latest stats report.',
    labelNames: ['path'] as const,
    registers: [this.registry],
  }, (gauge) => {
      for (const [path, count] of Object.entries(this.roomSnapshot().paths)) gauge.labels(path).set(count);
    });
  private readonly peerQuality = liveGauge({
    name: 'parley_signal_peer_quality',
    help: 'Peers in rooms by quality grade of their latest stats report.',
    labelNames: ['grade'] as const,
    registers: [this.registry],
  }, (gauge) => {
      for (const [grade, count] of Object.entries(this.roomSnapshot().grades)) gauge.labels(grade).set(count);
    });
  private readonly ready = liveGauge({
    name: 'parley_signal_ready',
    help: '1 when /readyz reports ready.',
    registers: [this.registry],
  }, (gauge) => gauge.set(this.sources?.ready() ? 1 : 0));
  private readonly draining = liveGauge({
    name: 'parley_signal_draining',
    help: '1 while the node drains before shutdown.',
    registers: [this.registry],
  }, (gauge) => gauge.set(this.sources?.draining() ? 1 : 0));

  readonly connectionsTotal = new Counter({
    name: 'parley_signal_connections_total',
    help: 'WebSocket connection attempts by outcome and error code ("none" when accepted).',
    labelNames: ['outcome', 'code'] as const,
    registers: [this.registry],
  });
  /**
   * Per-message counts are plain numbers bumped on the hot path and copied into their counters
   * when /metrics is scraped (prom-client's `collect` hook).
   */
  readonly hot = {
    received: Object.fromEntries([...CLIENT_MESSAGE_TYPES, 'invalid'].map((type) => [type, 0])) as Record<ClientMessageType | 'invalid', number>,
    receivedBytes: 0,
    delivered: 0,
  };
  private readonly messagesReceived = liveCounter({
    name: 'parley_signal_messages_received_total',
    help: 'Client messages received, by type ("invalid" for frames that did not decode).',
    labelNames: ['type'] as const,
    registers: [this.registry],
  }, (counter) => {
      counter.reset();
      for (const [type, count] of Object.entries(this.hot.received)) counter.labels(type).inc(count);
    });
  private readonly bytesReceived = liveCounter({
    name: 'parley_signal_received_bytes_total',
    help: 'Bytes of client frames received.',
    registers: [this.registry],
  }, (counter) => {
      counter.reset();
      counter.inc(this.hot.receivedBytes);
    });
  private readonly messagesDelivered = liveCounter({
    name: 'parley_signal_messages_delivered_total',
    help: 'Server frames handed to client sockets (fan-outs count each recipient).',
    registers: [this.registry],
  }, (counter) => {
      counter.reset();
      counter.inc(this.hot.delivered);
    });
  private readonly errors = new Counter({
    name: 'parley_signal_errors_total',
    help: 'Error frames sent to clients, by error code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly rateLimited = new Counter({
    name: 'parley_signal_rate_limited_total',
    help: 'Messages dropped by a per-user limit, by limit.',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'parley_signal_auth_failures_total',
    help: 'Rejected access tokens (WebSocket and REST), by error code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly roomsCreated = new Counter({ name: 'parley_signal_rooms_created_total', help: 'Rooms created.', registers: [this.registry] });
  readonly roomsClosed = new Counter({
    name: 'parley_signal_rooms_closed_total',
    help: 'Rooms closed, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly joins = new Counter({ name: 'parley_signal_joins_total', help: 'Successful room joins.', registers: [this.registry] });
  readonly resumes = new Counter({
    name: 'parley_signal_resumes_total',
    help: 'Resume attempts by outcome.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly sessionsEnded = new Counter({
    name: 'parley_signal_sessions_ended_total',
    help: 'Sessions ended, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly turnCredentials = new Counter({
    name: 'parley_signal_turn_credentials_issued_total',
    help: 'TURN credentials issued, by channel (session, refresh, http).',
    labelNames: ['via'] as const,
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: 'parley_signal_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly webhookQueue = new Gauge({ name: 'parley_signal_webhook_queue_events', help: 'Webhook events waiting, all endpoints.', registers: [this.registry] });
  readonly httpRequests = new Counter({
    name: 'parley_signal_http_requests_total',
    help: 'HTTP requests by route group and status class.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  // Quality, from client stats reports (one observation per peer connection in a report).
  readonly rttSeconds = new Histogram({
    name: 'parley_signal_peer_rtt_seconds',
    help: 'Round-trip time of peer connections reported by clients.',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2],
    registers: [this.registry],
  });
  readonly lossRatio = new Histogram({
    name: 'parley_signal_peer_loss_ratio',
    help: 'Packet loss fraction of peer connections reported by clients.',
    buckets: [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5],
    registers: [this.registry],
  });
  readonly jitterSeconds = new Histogram({
    name: 'parley_signal_peer_jitter_seconds',
    help: 'Jitter of peer connections reported by clients.',
    buckets: [0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2],
    registers: [this.registry],
  });
  readonly bitrateBytesPerSecond = new Histogram({
    name: 'parley_signal_peer_bitrate_bytes_per_second',
    help: 'Media rate of peer connections reported by clients (bits/s divided by 8), by direction.',
    labelNames: ['direction'] as const,
    buckets: [4e3, 8e3, 16e3, 32e3, 64e3, 128e3, 256e3, 512e3, 1e6],
    registers: [this.registry],
  });
  private readonly errorChildren: Readonly<Record<ErrorCode, Counter.Internal>>;
  private readonly limitChildren: Readonly<Record<LimitKind, Counter.Internal>>;

  constructor(options: MetricsOptions) {
    const info = new Gauge({
      name: 'parley_signal_build_info',
      help: 'Constant 1, labelled with the node, version and whether the uWebSockets.js native binary is in use.',
      labelNames: ['node', 'version', 'uws_native'] as const,
      registers: [this.registry],
    });
    info.labels(options.nodeId, options.version, String(options.uwsNative)).set(1);
    this.errorChildren = Object.fromEntries(ERROR_CODES.map((code) => [code, this.errors.labels(code)])) as Record<ErrorCode, Counter.Internal>;
    this.limitChildren = { messages: this.rateLimited.labels('messages'), bytes: this.rateLimited.labels('bytes'), joins: this.rateLimited.labels('joins') };
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  countReceived(type: ClientMessageType | 'invalid', byteLength: number): void {
    this.hot.received[type]++;
    this.hot.receivedBytes += byteLength;
  }

  /** Total client messages received so far (for messages/s in the overview and history). */
  receivedTotal(): number {
    let total = 0;
    for (const count of Object.values(this.hot.received)) total += count;
    return total;
  }

  countError(code: ErrorCode): void {
    this.errorChildren[code].inc();
  }

  countRateLimited(limit: LimitKind): void {
    this.limitChildren[limit].inc();
  }

  /** Wires the live state the gauges report; called once by the server composition. */
  setSources(sources: MetricSources): void {
    this.sources = sources;
  }

  private roomSnapshot(): RoomGaugeSnapshot {
    return this.sources?.rooms() ?? EMPTY_ROOMS;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
