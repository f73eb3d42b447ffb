import type { PeerLeftReason, RoomClosedReason } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../time/fake-clock.js';
import { Room } from './room.js';
import { RoomRegistry, type JoinRequest, type RoomDefaults } from './room-registry.js';

const defaults: RoomDefaults = { maxPeers: 3, emptyTimeoutSeconds: 60, departureTimeoutSeconds: 20, maxDurationSeconds: 0 };

function setup(overrides: Partial<RoomDefaults> = {}) {
  const clock = new FakeClock(0);
  const events: string[] = [];
  const closed: { room: string; reason: RoomClosedReason; members: string[] }[] = [];
  const registry = new RoomRegistry(
    clock,
    { ...defaults, ...overrides },
    { maxKeys: 2, maxBytes: 64 },
    {
      roomStarted: (room) => events.push(`started ${room.name}`),
      memberLeft: (room, member, reason: PeerLeftReason) => events.push(`left ${room.name} ${member.peerId} ${reason}`),
      roomFinished: (room, reason, members) => {
        events.push(`finished ${room.name} ${reason}`);
        closed.push({ room: room.name, reason, members: members.map((member) => member.peerId) });
      },
    },
  );
  return { clock, registry, events, closed };
}

const peer = (peerId: string, mayCreate = true): JoinRequest => ({ peerId, userId: `u-${peerId}`, nodeId: 'n1', meta: undefined, mayCreate });

describe('RoomRegistry', () => {
  it('creates a room on first join only when the joiner may create it', () => {
    const { registry } = setup();
    expect(registry.join('r', peer('a', false))).toEqual({ ok: false, code: 'ROOM_NOT_FOUND' });
    const joined = registry.join('r', peer('a'));
    expect(joined.ok && joined.created).toBe(true);
    const second = registry.join('r', peer('b', false));
    expect(second.ok && second.created).toBe(false);
  });

  it('makes the later joiner impolite towards everyone already in the room', () => {
    const { registry } = setup();
    registry.join('r', peer('a'));
    registry.join('r', peer('b'));
    registry.join('r', peer('c'));
    const room = registry.get('r')!;
    const [a, b, c] = ['a', 'b', 'c'].map((id) => room.members.get(id)!);
    expect(Room.isPoliteTowards(a!, b!)).toBe(true);
    expect(Room.isPoliteTowards(b!, a!)).toBe(false);
    expect(Room.isPoliteTowards(c!, a!)).toBe(false);
    expect(Room.isPoliteTowards(b!, c!)).toBe(true);
  });

  it('refuses joins beyond maxPeers and a second join of the same peer', () => {
    const { registry } = setup();
    for (const id of ['a', 'b', 'c']) expect(registry.join('r', peer(id)).ok).toBe(true);
    expect(registry.join('r', peer('d'))).toEqual({ ok: false, code: 'ROOM_FULL' });
    expect(registry.join('r', peer('a'))).toEqual({ ok: false, code: 'ALREADY_IN_ROOM' });
  });

  it('closes a created room that nobody joins after the empty timeout', () => {
    const { registry, clock, closed } = setup();
    registry.create('lonely', { emptyTimeoutSeconds: 30 });
    expect(registry.get('lonely')!.closesAtMs()).toBe(30_000);
    clock.advance(29_999);
    expect(registry.get('lonely')).toBeDefined();
    clock.advance(1);
    expect(registry.get('lonely')).toBeUndefined();
    expect(closed).toEqual([{ room: 'lonely', reason: 'empty_timeout', members: [] }]);
  });

  it('disarms the empty timeout once someone joins', () => {
    const { registry, clock } = setup();
    registry.create('r', { emptyTimeoutSeconds: 30 });
    registry.join('r', peer('a'));
    clock.advance(60_000);
    expect(registry.get('r')?.members.size).toBe(1);
  });

  it('closes a room the departure timeout after its last peer left, unless someone comes back', () => {
    const { registry, clock, closed, events } = setup();
    registry.join('r', peer('a'));
    registry.leave('r', 'a', 'left');
    clock.advance(10_000);
    registry.join('r', peer('b'));
    clock.advance(30_000);
    expect(registry.get('r')).toBeDefined();
    registry.leave('r', 'b', 'timeout');
    clock.advance(20_000);
    expect(registry.get('r')).toBeUndefined();
    expect(closed.at(-1)).toEqual({ room: 'r', reason: 'departure_timeout', members: [] });
    expect(events).toEqual(['started r', 'left r a left', 'left r b timeout', 'finished r departure_timeout']);
  });

  it('closes a room at once when its departure timeout is zero', () => {
    const { registry } = setup({ departureTimeoutSeconds: 0 });
    registry.join('r', peer('a'));
    registry.leave('r', 'a', 'left');
    expect(registry.get('r')).toBeUndefined();
  });

  it('closes a room at its maximum duration with its members still inside', () => {
    const { registry, clock, closed } = setup();
    registry.create('meeting', { maxDurationSeconds: 3600 });
    registry.join('meeting', peer('a'));
    registry.join('meeting', peer('b'));
    clock.advance(3600_000);
    expect(closed).toEqual([{ room: 'meeting', reason: 'max_duration', members: ['a', 'b'] }]);
  });

  it('refuses joins while closing and forgets the room after close', () => {
    const { registry } = setup();
    registry.join('r', peer('a'));
    expect(registry.close('r', 'admin')).toBe(true);
    expect(registry.close('r', 'admin')).toBe(false);
    expect(registry.get('r')).toBeUndefined();
  });

  it('keeps room state within its key and byte limits; null deletes a key', () => {
    const { registry } = setup();
    registry.join('r', peer('a'));
    const set = (key: string, value: unknown) => registry.setState('r', 'a', key, value, JSON.stringify(value));
    expect(set('presenter', 'a').ok).toBe(true);
    expect(set('timer', 10).ok).toBe(true);
    expect(set('third', 1)).toEqual({ ok: false, code: 'STATE_LIMIT' });
    expect(set('timer', null).ok).toBe(true);
    expect(set('big', 'x'.repeat(100))).toEqual({ ok: false, code: 'STATE_LIMIT' });
    expect(registry.get('r')!.stateObject()).toEqual({ presenter: 'a' });
    expect(registry.setState('r', 'zz', 'k', 1, '1')).toEqual({ ok: false, code: 'NOT_IN_ROOM' });
  });
});
