import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';

describe('FakeClock', () => {
  it('fires due timers in due order when advanced, and moves now()', () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(100, () => fired.push(`a@${clock.now()}`));
    clock.setTimer(900, () => fired.push('late'));
    clock.advance(500);
    expect(fired).toEqual(['a@1100', 'b@1300']);
    expect(clock.now()).toBe(1500);
    expect(clock.pendingTimers).toBe(1);
  });

  it('fires timers scheduled by a firing timer when they fall inside the advance', () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    const tick = () => {
      fired.push(clock.now());
      clock.setTimer(100, tick);
    };
    clock.setTimer(100, tick);
    clock.advance(350);
    expect(fired).toEqual([100, 200, 300]);
  });

  it('never fires a cancelled timer', () => {
    const clock = new FakeClock(0);
    let fired = false;
    clock.setTimer(10, () => (fired = true)).cancel();
    clock.advance(100);
    expect(fired).toBe(false);
  });
});
