import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from './deadline-queue.js';
import { FakeClock } from './fake-clock.js';

interface Item {
  name: string;
  deadlineIndex: number;
}

const item = (name: string): Item => ({ name, deadlineIndex: -1 });

describe('DeadlineQueue', () => {
  it('fires each item once when its time comes, earliest first, on a single timer', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    const queue = new DeadlineQueue<Item>(clock, (due) => fired.push(`${due.name}@${clock.now()}`));
    queue.schedule(item('c'), 300);
    queue.schedule(item('a'), 100);
    queue.schedule(item('b'), 200);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(150);
    expect(fired).toEqual(['a@100']);
    clock.advance(1000);
    expect(fired).toEqual(['a@100', 'b@200', 'c@300']);
    expect(queue.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('never fires a removed item, and moves a rescheduled one', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    const queue = new DeadlineQueue<Item>(clock, (due) => fired.push(due.name));
    const a = item('a');
    const b = item('b');
    queue.schedule(a, 100);
    queue.schedule(b, 200);
    queue.remove(a);
    queue.schedule(b, 50);
    expect(a.deadlineIndex).toBe(-1);
    expect(queue.dueAt(b)).toBe(50);
    clock.advance(1000);
    expect(fired).toEqual(['b']);
  });

  it('fires items that a firing callback schedules when they are already due', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    const again = item('again');
    const queue: DeadlineQueue<Item> = new DeadlineQueue<Item>(clock, (due) => {
      fired.push(due.name);
      if (due.name === 'first') queue.schedule(again, clock.now() + 10);
    });
    queue.schedule(item('first'), 100);
    clock.advance(200);
    expect(fired).toEqual(['first', 'again']);
  });

  it('fires in due order whatever the order of scheduling and removal', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('schedule' as const), slot: fc.nat(9), dueMs: fc.integer({ min: 1, max: 1000 }) }),
      fc.record({ kind: fc.constant('remove' as const), slot: fc.nat(9) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const clock = new FakeClock(0);
        const items = Array.from({ length: 10 }, (_, index) => item(String(index)));
        const fired: { name: string; atMs: number }[] = [];
        const queue = new DeadlineQueue<Item>(clock, (due) => fired.push({ name: due.name, atMs: clock.now() }));
        const expected = new Map<string, number>();
        for (const step of operations) {
          const target = items[step.slot]!;
          if (step.kind === 'schedule') {
            queue.schedule(target, step.dueMs);
            expected.set(target.name, step.dueMs);
          } else {
            queue.remove(target);
            expected.delete(target.name);
          }
        }
        clock.advance(2000);
        expect(fired.map((entry) => entry.name).sort()).toEqual([...expected.keys()].sort());
        for (const entry of fired) expect(entry.atMs).toBe(expected.get(entry.name));
        expect(queue.size).toBe(0);
      }),
    );
  });
});
