import { TurnNodeStatus, type TurnNodeSummary, type TurnResponse, type TurnRevocation } from '@parley/protocol';
import type { Logger } from '@parley/runtime';
import { loggableUrl } from '../observability/index.js';
import type { Clock, TimerHandle } from '../time/clock.js';

interface NodeState {
  statusUrl: string;
  status: TurnNodeStatus | undefined;
  error: string | undefined;
  lastSeenMs: number | null;
  /** Totals at the previous successful poll, for bytes/s. */
  previous: { timeMs: number; toPeers: number; fromPeers: number } | undefined;
  toPeersPerSecond: number;
  fromPeersPerSecond: number;
}

const REQUEST_TIMEOUT_MS = 5000;
const TOP_ENTRIES = 10;

/**
 * Polls the configured TURN nodes' `GET /v1/status` (internal token) for the admin API's TURN
 * view, and pushes revocations to their `POST /v1/revocations`. A node is healthy while its last
 * poll succeeded.
 */
export class TurnPoller {
  private readonly nodes: NodeState[];
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    statusUrls: readonly string[],
    private readonly internalToken: string,
    private readonly intervalSeconds: number,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.nodes = statusUrls.map((statusUrl) => ({
      statusUrl,
      status: undefined,
      error: 'not polled yet',
      lastSeenMs: null,
      previous: undefined,
      toPeersPerSecond: 0,
      fromPeersPerSecond: 0,
    }));
  }

  start(): void {
    if (this.nodes.length === 0) return;
    void this.pollAll();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Polls every node now (also used by tests instead of waiting for the interval). */
  async pollAll(): Promise<void> {
    this.timer?.cancel();
    await Promise.all(this.nodes.map((node) => this.poll(node)));
    if (!this.stopped) this.timer = this.clock.setTimer(this.intervalSeconds * 1000, () => void this.pollAll());
  }

  private async poll(node: NodeState): Promise<void> {
    try {
      const response = await fetch(node.statusUrl, {
        headers: { authorization: `Bearer ${this.internalToken}` },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const parsed = TurnNodeStatus.safeParse(await response.json());
      if (!parsed.success) throw new Error('status body does not match TurnNodeStatus');
      const now = this.clock.now();
      const totals = parsed.data.totals;
      if (node.previous && now > node.previous.timeMs) {
        const seconds = (now - node.previous.timeMs) / 1000;
        node.toPeersPerSecond = Math.max(0, (totals.bytesToPeers - node.previous.toPeers) / seconds);
        node.fromPeersPerSecond = Math.max(0, (totals.bytesFromPeers - node.previous.fromPeers) / seconds);
      }
      node.previous = { timeMs: now, toPeers: totals.bytesToPeers, fromPeers: totals.bytesFromPeers };
      node.status = parsed.data;
      node.error = undefined;
      node.lastSeenMs = now;
    } catch (error) {
      if (node.error === undefined) this.log.warn({ statusUrl: loggableUrl(node.statusUrl), err: (error as Error).message }, 'turn node unreachable');
      node.error = (error as Error).message;
      node.toPeersPerSecond = 0;
      node.fromPeersPerSecond = 0;
    }
  }

  summaries(): TurnNodeSummary[] {
    return this.nodes.map((node) => {
      const summary: TurnNodeSummary = {
        nodeId: node.status?.nodeId ?? node.statusUrl,
        statusUrl: node.statusUrl,
        healthy: node.error === undefined,
        lastSeenMs: node.lastSeenMs,
        allocations: node.error === undefined ? (node.status?.totals.allocations ?? 0) : 0,
        relayBytesToPeersPerSecond: node.toPeersPerSecond,
        relayBytesFromPeersPerSecond: node.fromPeersPerSecond,
      };
      if (node.error !== undefined) summary.error = node.error;
      if (node.status) summary.version = node.status.version;
      return summary;
    });
  }

  /** Totals over healthy nodes, for the overview and history. */
  totals(): { nodes: number; allocations: number; toPeersPerSecond: number; fromPeersPerSecond: number } {
    const healthy = this.summaries().filter((node) => node.healthy);
    return {
      nodes: healthy.length,
      allocations: healthy.reduce((sum, node) => sum + node.allocations, 0),
      toPeersPerSecond: healthy.reduce((sum, node) => sum + node.relayBytesToPeersPerSecond, 0),
      fromPeersPerSecond: healthy.reduce((sum, node) => sum + node.relayBytesFromPeersPerSecond, 0),
    };
  }

  view(): TurnResponse {
    const allocations = this.nodes.flatMap((node) =>
      node.error === undefined && node.status ? node.status.allocations.map((allocation) => ({ ...allocation, nodeId: node.status!.nodeId })) : [],
    );
    const top = (key: (allocation: (typeof allocations)[number]) => string | null) => {
      const usage = new Map<string, { relayBytes: number; allocations: number }>();
      for (const allocation of allocations) {
        const name = key(allocation);
        if (name === null) continue;
        const entry = usage.get(name) ?? { relayBytes: 0, allocations: 0 };
        entry.relayBytes += allocation.bytesToPeers + allocation.bytesFromPeers;
        entry.allocations += 1;
        usage.set(name, entry);
      }
      return [...usage.entries()]
        .map(([name, entry]) => ({ key: name, ...entry }))
        .sort((a, b) => b.relayBytes - a.relayBytes)
        .slice(0, TOP_ENTRIES);
    };
    return { nodes: this.summaries(), allocations, topUsers: top((a) => a.userId), topRooms: top((a) => a.room) };
  }

  /** Sends a revocation to every node; resolves with how many accepted it. Best effort. */
  async revoke(revocation: TurnRevocation): Promise<number> {
    const results = await Promise.all(
      this.nodes.map(async (node) => {
        try {
          const response = await fetch(revocationUrl(node.statusUrl), {
            method: 'POST',
            headers: { authorization: `Bearer ${this.internalToken}`, 'content-type': 'application/json' },
            body: JSON.stringify(revocation),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          await response.arrayBuffer();
          return response.ok;
        } catch {
          return false;
        }
      }),
    );
    const accepted = results.filter(Boolean).length;
    if (accepted < this.nodes.length) this.log.warn({ accepted, nodes: this.nodes.length }, 'turn revocation not accepted by every node');
    return accepted;
  }

  get configured(): boolean {
    return this.nodes.length > 0;
  }
}

/** `…/v1/status` → `…/v1/revocations` on the same node. */
export function revocationUrl(statusUrl: string): string {
  const url = new URL(statusUrl);
  url.pathname = url.pathname.replace(/\/v1\/status\/?$/, '') + '/v1/revocations';
  url.search = '';
  return url.toString();
}
