import type { Clock, TimerHandle } from '../time/clock.js';

/**
 * A per-second rate of a growing total (messages received, relay bytes): sampled once a second
 * on the clock, averaged over the last `windowSeconds` samples.
 */
export class RateMeter {
  private readonly samples: { timeMs: number; total: number }[] = [];
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly readTotal: () => number,
    private readonly windowSeconds = 5,
  ) {}

  start(): void {
    this.sample();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  perSecond(): number {
    const first = this.samples[0];
    const now = { timeMs: this.clock.now(), total: this.readTotal() };
    if (!first || now.timeMs <= first.timeMs) return 0;
    return ((now.total - first.total) * 1000) / (now.timeMs - first.timeMs);
  }

  private sample(): void {
    this.samples.push({ timeMs: this.clock.now(), total: this.readTotal() });
    if (this.samples.length > this.windowSeconds) this.samples.shift();
    this.timer = this.clock.setTimer(1000, () => this.sample());
  }
}
