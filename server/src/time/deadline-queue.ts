import type { Clock, TimerHandle } from './clock.js';

/** An item a DeadlineQueue can hold: the queue keeps the item's position in it here (-1 when not queued). */
export interface Queueable {
  deadlineIndex: number;
}

/**
 * Many deadlines on one timer: a binary min-heap of (due time, item) with a single clock timer
 * armed for the earliest. Made for per-session deadlines (TURN credential refresh) that every
 * connection has: a Node timer per session costs ~300 bytes (Timeout, closure, handle), this
 * costs two array slots. Items can be removed or rescheduled in O(log n); the item carries its
 * heap position (`deadlineIndex`) so removal needs no search. Items due at the same time fire in
 * no particular order.
 */
export class DeadlineQueue<T extends Queueable> {
  /** Due times (Unix ms) and items, as two parallel arrays forming the heap (numbers stay unboxed). */
  private readonly dueMs: number[] = [];
  private readonly items: T[] = [];
  private timer: TimerHandle | undefined;
  private timerDueMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly fire: (item: T) => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** When `item` is due (Unix ms), or undefined when it is not queued. */
  dueAt(item: T): number | undefined {
    return item.deadlineIndex >= 0 ? this.dueMs[item.deadlineIndex] : undefined;
  }

  /** Queues `item` to fire at `dueMs` (Unix ms), replacing its earlier deadline if it had one. */
  schedule(item: T, dueMs: number): void {
    this.remove(item);
    const index = this.items.length;
    this.items.push(item);
    this.dueMs.push(dueMs);
    item.deadlineIndex = index;
    this.siftUp(index);
    this.arm();
  }

  /** Takes `item` out of the queue; nothing happens when it is not queued. */
  remove(item: T): void {
    const index = item.deadlineIndex;
    if (index < 0) return;
    item.deadlineIndex = -1;
    const lastIndex = this.items.length - 1;
    const last = this.items.pop()!;
    const lastDueMs = this.dueMs.pop()!;
    if (index === lastIndex) return;
    this.place(index, last, lastDueMs);
    this.siftDown(index);
    this.siftUp(index);
  }

  /** Drops every deadline and the timer. */
  clear(): void {
    for (const item of this.items) item.deadlineIndex = -1;
    this.items.length = 0;
    this.dueMs.length = 0;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerDueMs = Number.POSITIVE_INFINITY;
  }

  private arm(): void {
    const earliestMs = this.items.length > 0 ? this.dueMs[0]! : Number.POSITIVE_INFINITY;
    if (earliestMs === this.timerDueMs) return;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerDueMs = earliestMs;
    if (earliestMs === Number.POSITIVE_INFINITY) return;
    this.timer = this.clock.setTimer(earliestMs - this.clock.now(), () => this.run());
  }

  private run(): void {
    this.timer = undefined;
    this.timerDueMs = Number.POSITIVE_INFINITY;
    const nowMs = this.clock.now();
    while (this.items.length > 0 && this.dueMs[0]! <= nowMs) {
      const item = this.items[0]!;
      this.remove(item);
      // A callback may schedule or remove items; the heap is consistent at this point.
      this.fire(item);
    }
    this.arm();
  }

  private place(index: number, item: T, dueMs: number): void {
    this.items[index] = item;
    this.dueMs[index] = dueMs;
    item.deadlineIndex = index;
  }

  private siftUp(index: number): void {
    const item = this.items[index]!;
    const dueMs = this.dueMs[index]!;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.dueMs[parent]! <= dueMs) break;
      this.place(index, this.items[parent]!, this.dueMs[parent]!);
      index = parent;
    }
    this.place(index, item, dueMs);
  }

  private siftDown(index: number): void {
    const count = this.items.length;
    const item = this.items[index]!;
    const dueMs = this.dueMs[index]!;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= count) break;
      const right = left + 1;
      const child = right < count && this.dueMs[right]! < this.dueMs[left]! ? right : left;
      if (this.dueMs[child]! >= dueMs) break;
      this.place(index, this.items[child]!, this.dueMs[child]!);
      index = child;
    }
    this.place(index, item, dueMs);
  }
}
