import type { HistoryPoint, HistoryResponse } from '@parley/protocol';
import type { Clock, TimerHandle } from '../time/clock.js';

/**
 * The short in-memory history behind the dashboard's charts (so they work without Prometheus):
 * one point every `intervalSeconds`, the last `maxPoints` kept.
 */
export class HistoryRecorder {
  private readonly points: HistoryPoint[] = [];
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalSeconds: number,
    private readonly maxPoints: number,
    private readonly sample: () => Omit<HistoryPoint, 'timeMs'>,
  ) {}

  start(): void {
    this.record();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  snapshot(): HistoryResponse {
    return { intervalSeconds: this.intervalSeconds, points: [...this.points] };
  }

  private record(): void {
    this.points.push({ timeMs: this.clock.now(), ...this.sample() });
    if (this.points.length > this.maxPoints) this.points.shift();
    this.timer = this.clock.setTimer(this.intervalSeconds * 1000, () => this.record());
  }
}
