import { describe, expect, it } from 'vitest';
import { RoomList } from './room-list.js';

describe('RoomList', () => {
  it('answers has, size and iteration like a Set of room names', () => {
    const rooms = new RoomList();
    expect(rooms.size).toBe(0);
    expect(rooms.has('a')).toBe(false);
    rooms.add('a');
    rooms.add('b');
    rooms.add('a');
    expect(rooms.size).toBe(2);
    expect([...rooms]).toEqual(['a', 'b']);
    expect(rooms.has('b')).toBe(true);
  });

  it('deletes a room it holds and reports a room it does not', () => {
    const rooms = new RoomList();
    expect(rooms.delete('a')).toBe(false);
    rooms.add('a');
    rooms.add('b');
    expect(rooms.delete('a')).toBe(true);
    expect(rooms.delete('a')).toBe(false);
    expect([...rooms]).toEqual(['b']);
    rooms.clear();
    expect(rooms.size).toBe(0);
  });

  it('iterates over a snapshot, so rooms can be left while iterating', () => {
    const rooms = new RoomList();
    for (const name of ['a', 'b', 'c']) rooms.add(name);
    const seen: string[] = [];
    for (const name of rooms) {
      seen.push(name);
      rooms.delete(name);
    }
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(rooms.size).toBe(0);
  });
});
