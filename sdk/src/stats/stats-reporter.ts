import type { ConnectionStats } from '@parley/protocol';
import { gradeQuality, type QualityGrade } from '@parley/protocol';
import { summariseStats, type ConnectionSummary, type StatLike, type StatsSample } from './summarise.js';

/**
 * Every `intervalMs`, summarises getStats() of each connection, tells the app (quality badges)
 * and sends the summary to the server (`stats` message), where the admin API and dashboard show
 * each peer's path and RTT. The previous sample per peer makes loss and bitrate rates possible.
 */
export interface PeerQuality extends ConnectionSummary {
  peerId: string;
  grade: QualityGrade;
}

export interface StatsReporterOptions {
  intervalMs: number;
  /** The connections to sample now, by remote peer id. */
  collect(): Array<{ peerId: string; stats: Promise<RTCStatsReport> | undefined }>;
  /** Sends the report to the server. */
  publish(connections: ConnectionStats[]): void;
  onQuality(quality: PeerQuality): void;
}

export const DEFAULT_STATS_INTERVAL_MS = 5_000;

export class StatsReporter {
  #options: StatsReporterOptions;
  #previous = new Map<string, StatsSample>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #running = false;

  constructor(options: StatsReporterOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.sampleNow(), this.#options.intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Takes one sample of every connection, reports it, and returns it. */
  async sampleNow(): Promise<PeerQuality[]> {
    if (this.#running) return [];
    this.#running = true;
    try {
      const wanted = this.#options.collect();
      const qualities: PeerQuality[] = [];
      for (const { peerId, stats } of wanted) {
        const report = await stats?.catch(() => undefined);
        if (!report) continue;
        const { summary, sample } = summariseStats(report.values() as Iterable<StatLike>, this.#previous.get(peerId));
        this.#previous.set(peerId, sample);
        const quality: PeerQuality = { ...summary, peerId, grade: gradeQuality(summary.rttMs, summary.lossRatio) };
        qualities.push(quality);
        this.#options.onQuality(quality);
      }
      const alive = new Set(wanted.map((entry) => entry.peerId));
      for (const peerId of this.#previous.keys()) if (!alive.has(peerId)) this.#previous.delete(peerId);
      if (qualities.length > 0) {
        this.#options.publish(qualities.slice(0, 64).map(({ peerId, grade: _grade, ...summary }) => ({ remotePeerId: peerId, ...summary }) as ConnectionStats));
      }
      return qualities;
    } finally {
      this.#running = false;
    }
  }
}
