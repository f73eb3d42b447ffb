import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplayLog } from './replay-log.js';

/** The frames `since` returns, as text. */
function textSince(log: ReplayLog, seq: number): string[] | null {
  return log.since(seq)?.map((frame) => frame.toString('utf8')) ?? null;
}

/**
 * The log's contract written the obvious way (an array of frames, oldest dropped first), to
 * check the byte ring against: what it keeps, what it numbers, what it refuses.
 */
class ModelLog {
  private frames: Buffer[] = [];
  private firstSeq = 1;

  constructor(
    private readonly maxFrames: number,
    private readonly maxBytes: number,
  ) {}

  append(frame: Buffer): void {
    this.frames.push(frame);
    let bytes = this.frames.reduce((sum, kept) => sum + kept.length, 0);
    while (this.frames.length > this.maxFrames || (bytes > this.maxBytes && this.frames.length > 0)) {
      bytes -= this.frames.shift()!.length;
      this.firstSeq++;
    }
  }

  get lastSeq(): number {
    return this.firstSeq + this.frames.length - 1;
  }

  since(seq: number): string[] | null {
    if (seq > this.lastSeq || seq < this.firstSeq - 1) return null;
    return this.frames.slice(seq - this.firstSeq + 1).map((frame) => frame.toString('utf8'));
  }
}

describe('ReplayLog', () => {
  it('numbers frames from 1 and returns those after a given count', () => {
    const log = new ReplayLog(10, 1000);
    for (const frame of ['a', 'b', 'c']) log.append(frame);
    expect(log.lastSeq).toBe(3);
    expect(textSince(log, 3)).toEqual([]);
    expect(textSince(log, 1)).toEqual(['b', 'c']);
    expect(textSince(log, 0)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a count ahead of what was sent, or behind what it still keeps', () => {
    const log = new ReplayLog(2, 1000);
    for (const frame of ['a', 'b', 'c', 'd']) log.append(frame);
    expect(log.since(5)).toBeNull();
    expect(log.since(1)).toBeNull();
    expect(textSince(log, 2)).toEqual(['c', 'd']);
  });

  it('keeps within its byte budget', () => {
    const log = new ReplayLog(100, 10);
    for (const frame of ['12345', '67890', 'abcde']) log.append(frame);
    expect(textSince(log, 1)).toEqual(['67890', 'abcde']);
    expect(log.since(0)).toBeNull();
  });

  it('counts the byte budget in UTF-8 bytes and gives back text frames and byte frames alike', () => {
    const log = new ReplayLog(100, 8);
    log.append('ééé'); // 6 bytes
    log.append(Buffer.from('xy'));
    expect(textSince(log, 0)).toEqual(['ééé', 'xy']);
    log.append('z'); // 9 bytes in all: the oldest goes
    expect(textSince(log, 1)).toEqual(['xy', 'z']);
    expect(log.since(0)).toBeNull();
  });

  it('forgets everything, and still counts, when a frame alone is over the byte budget', () => {
    const log = new ReplayLog(100, 4);
    log.append('ab');
    log.append('abcdef');
    expect(log.lastSeq).toBe(2);
    expect(textSince(log, 2)).toEqual([]);
    expect(log.since(1)).toBeNull();
    log.append('cd');
    expect(textSince(log, 2)).toEqual(['cd']);
  });

  it('keeps nothing when disabled, but still counts', () => {
    const log = new ReplayLog(0, 1000);
    log.append('a');
    log.append('b');
    expect(log.lastSeq).toBe(2);
    expect(log.since(2)).toEqual([]);
    expect(log.since(1)).toBeNull();
  });

  it('returns copies that later appends do not overwrite', () => {
    const log = new ReplayLog(2, 1000);
    log.append('first');
    const [copy] = log.since(0)!;
    for (const frame of ['second', 'third', 'fourth']) log.append(frame);
    expect(copy!.toString()).toBe('first');
  });

  it('answers like a plain array of frames for any mix of sizes, limits and wrap-arounds (property)', () => {
    const frame = fc.oneof(fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 700 }).map((bytes) => Buffer.from(bytes).toString('latin1')));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 2000 }), fc.array(frame, { maxLength: 80 }), (maxFrames, maxBytes, frames) => {
        const log = new ReplayLog(maxFrames, maxBytes);
        const model = new ModelLog(maxFrames, maxBytes);
        for (const [index, text] of frames.entries()) {
          const bytes = Buffer.from(text, 'utf8');
          // Both shapes of frame: text (as most server frames) and bytes (as relayed ones).
          log.append(index % 2 === 0 ? text : bytes);
          model.append(bytes);
          expect(log.lastSeq).toBe(model.lastSeq);
          for (let seq = Math.max(-1, model.lastSeq - maxFrames - 2); seq <= model.lastSeq + 1; seq++) {
            expect(textSince(log, seq), `since(${seq}) after ${index + 1} frames`).toEqual(model.since(seq));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
