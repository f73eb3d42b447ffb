import { Counter, Gauge, Registry } from 'prom-client';
import type { AllocationTable } from '../allocation/allocation-table.js';
import type { AuthFailureReason } from '../auth/authenticator.js';
import { AUTH_FAILURE_REASONS } from '../auth/authenticator.js';
import { DROP_REASONS, type RelayCounters } from '../relay/counters.js';

/**
 * Every metric of the TURN relay, in one registry. Per-request counts and data-plane counters are
 * plain numbers between scrapes (RelayCounters, PendingCount), added to the prom-client counters
 * when a scrape collects them.
 * Labels are bounded sets (method, code, reason, direction, transport), never users, rooms or IPs.
 */
export interface TurnMetricSources {
  counters: RelayCounters;
  allocations: AllocationTable;
  streamConnections: () => { tcp: number; tls: number };
  relayPortsInUse: () => number;
  nowMs: () => number;
}

/** A counter whose value lives elsewhere as a plain number: the scrape adds what it grew by. */
function scrapedCounter(counter: Counter<string>, read: () => number, labels: Record<string, string> = {}): () => void {
  let exported = 0;
  return () => {
    const value = read();
    if (value > exported) {
      counter.inc(labels, value - exported);
      exported = value;
    }
  };
}

/** One label set of a per-request counter: counted as a plain number, added to the counter at scrape time. */
interface PendingCount {
  counter: Counter<string>;
  labels: Record<string, string>;
  pending: number;
}

export class TurnMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'code'>;
  readonly authFailures: Counter<'reason'>;
  readonly allocationsCreated: Counter<'transport'>;
  readonly allocationsEnded: Counter<'reason'>;
  readonly malformed: Counter<'reason'>;

  constructor(sources: TurnMetricSources) {
    const registers = [this.registry];
    // Whichever of these a scrape collects first brings all pending per-request counts in.
    const collect = () => this.flushPending();
    this.requests = new Counter({ name: 'parley_turn_requests_total', help: 'STUN/TURN requests answered, by method and response code (200 = success)', labelNames: ['method', 'code'], registers, collect });
    this.authFailures = new Counter({ name: 'parley_turn_auth_failures_total', help: 'Requests refused by authentication, by reason', labelNames: ['reason'], registers, collect });
    for (const reason of AUTH_FAILURE_REASONS) this.authFailures.inc({ reason }, 0);
    this.allocationsCreated = new Counter({ name: 'parley_turn_allocations_created_total', help: 'Allocations created, by client transport', labelNames: ['transport'], registers, collect });
    this.allocationsEnded = new Counter({ name: 'parley_turn_allocations_ended_total', help: 'Allocations ended, by reason', labelNames: ['reason'], registers, collect });
    this.malformed = new Counter({ name: 'parley_turn_malformed_messages_total', help: 'STUN messages discarded as malformed, by decode failure', labelNames: ['reason'], registers });

    // The data-plane sync runs once per scrape, from the first of these metrics collected.
    const relayBytes: Counter<'direction'> = new Counter({
      name: 'parley_turn_relay_bytes_total',
      help: 'Application bytes relayed, by direction',
      labelNames: ['direction'],
      registers,
      collect: () => {
        for (const sync of syncs) sync();
      },
    });
    const relayPackets = new Counter({ name: 'parley_turn_relay_packets_total', help: 'Packets relayed, by direction', labelNames: ['direction'], registers });
    const dropped = new Counter({ name: 'parley_turn_packets_dropped_total', help: 'Packets dropped by the relay, by reason', labelNames: ['reason'], registers });
    const { counters } = sources;
    const syncs: (() => void)[] = [
      scrapedCounter(relayBytes, () => counters.bytesToPeers, { direction: 'to_peer' }),
      scrapedCounter(relayBytes, () => counters.bytesFromPeers, { direction: 'from_peer' }),
      scrapedCounter(relayPackets, () => counters.packetsToPeers, { direction: 'to_peer' }),
      scrapedCounter(relayPackets, () => counters.packetsFromPeers, { direction: 'from_peer' }),
      ...DROP_REASONS.map((reason, index) => scrapedCounter(dropped, () => counters.drops[index]!, { reason })),
    ];
    for (const direction of ['to_peer', 'from_peer']) {
      relayBytes.inc({ direction }, 0);
      relayPackets.inc({ direction }, 0);
    }
    for (const reason of DROP_REASONS) dropped.inc({ reason }, 0);

    const allocations = sources.allocations;
    new Gauge({
      name: 'parley_turn_allocations',
      help: 'Live allocations, by client transport',
      labelNames: ['transport'],
      registers,
      collect() {
        const counts = { udp: 0, tcp: 0, tls: 0 };
        for (const allocation of allocations.values()) counts[allocation.client.transport]++;
        for (const [transport, count] of Object.entries(counts)) this.set({ transport }, count);
      },
    });
    new Gauge({
      name: 'parley_turn_permissions',
      help: 'Live permissions over all allocations',
      registers,
      collect() {
        const nowMs = sources.nowMs();
        let count = 0;
        for (const allocation of allocations.values()) count += allocation.permissionCount(nowMs);
        this.set(count);
      },
    });
    new Gauge({
      name: 'parley_turn_channels',
      help: 'Live channel bindings over all allocations',
      registers,
      collect() {
        const nowMs = sources.nowMs();
        let count = 0;
        for (const allocation of allocations.values()) count += allocation.channelCount(nowMs);
        this.set(count);
      },
    });
    new Gauge({
      name: 'parley_turn_stream_connections',
      help: 'Open TCP and TLS client connections',
      labelNames: ['transport'],
      registers,
      collect() {
        const open = sources.streamConnections();
        this.set({ transport: 'tcp' }, open.tcp);
        this.set({ transport: 'tls' }, open.tls);
      },
    });
    new Gauge({ name: 'parley_turn_relay_ports_in_use', help: 'Relay ports bound or held', registers, collect() { this.set(sources.relayPortsInUse()); } });
    let cpuExported = 0;
    new Counter({
      name: 'parley_turn_process_cpu_seconds_total',
      help: 'CPU time of the relay process (user + system)',
      registers,
      collect() {
        const usage = process.cpuUsage();
        const seconds = (usage.user + usage.system) / 1e6;
        if (seconds > cpuExported) {
          this.inc(seconds - cpuExported);
          cpuExported = seconds;
        }
      },
    });
    new Gauge({ name: 'parley_turn_process_resident_memory_bytes', help: 'Resident memory of the relay process', registers, collect() { this.set(process.memoryUsage.rss()); } });
  }

  /**
   * Per-request counts by label set. prom-client's inc() hashes the label object on every call
   * (even through a resolved child), which showed up in allocation profiles; a plain number per
   * label set costs a map lookup. The label sets are bounded, so the map is too.
   */
  private readonly pending = new Map<string, PendingCount>();

  private count(key: string, counter: Counter<string>, labels: () => Record<string, string>): void {
    let entry = this.pending.get(key);
    if (entry === undefined) {
      entry = { counter, labels: labels(), pending: 0 };
      this.pending.set(key, entry);
    }
    entry.pending++;
  }

  private flushPending(): void {
    for (const entry of this.pending.values()) {
      if (entry.pending === 0) continue;
      entry.counter.inc(entry.labels, entry.pending);
      entry.pending = 0;
    }
  }

  request(method: string, code: number): void {
    this.count(`request|${method}|${code}`, this.requests, () => ({ method, code: String(code) }));
  }

  allocationCreated(transport: string): void {
    this.count(`created|${transport}`, this.allocationsCreated, () => ({ transport }));
  }

  allocationEnded(reason: string): void {
    this.count(`ended|${reason}`, this.allocationsEnded, () => ({ reason }));
  }

  authFailure(reason: AuthFailureReason): void {
    this.count(`auth|${reason}`, this.authFailures, () => ({ reason }));
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
