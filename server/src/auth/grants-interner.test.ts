import { Grants } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { GrantsInterner } from './grants-interner.js';

describe('GrantsInterner', () => {
  it('hands out one frozen object for equal grants and distinct ones for different grants', () => {
    const interner = new GrantsInterner();
    const first = interner.intern(Grants.parse({ rooms: ['*'], create: true }));
    const second = interner.intern(Grants.parse({ create: true, rooms: ['*'] }));
    const other = interner.intern(Grants.parse({ rooms: ['standup'] }));
    expect(second).toBe(first);
    expect(other).not.toBe(first);
    expect(other.rooms).toEqual(['standup']);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.rooms)).toBe(true);
  });

  it('stops remembering new grant sets at its bound but still returns them intact', () => {
    const interner = new GrantsInterner(2);
    for (const room of ['a', 'b', 'c', 'd']) expect(interner.intern(Grants.parse({ rooms: [room] })).rooms).toEqual([room]);
    expect(interner.size).toBe(2);
  });
});
