import { CLIENT_MESSAGE_SCHEMAS, CLIENT_MESSAGE_TYPES } from '@parley/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeClientFrame } from './decode.js';
import { VALIDATORS } from './validators.js';

/** Values that sit on either side of every rule the schemas have. */
const interesting = fc.oneof(
  fc.constantFrom(
    'standup',
    'a',
    'A'.repeat(128),
    'A'.repeat(129),
    '-starts-with-dash',
    'has space',
    '../etc',
    'p_2',
    'x'.repeat(64),
    'x'.repeat(65),
    'presenter',
    'bob',
    'tab\there',
    '',
    0,
    1,
    -1,
    1.5,
    2 ** 53,
    Number.MAX_SAFE_INTEGER,
    true,
    null,
    [],
    {},
    { kind: 'offer', sdp: 'v=0' },
  ),
  fc.string({ maxLength: 70 }),
  fc.integer(),
  fc.jsonValue({ maxDepth: 2 }),
);

const fieldNames = ['rid', 'room', 'to', 'payload', 'data', 'key', 'value', 'toUser', 'meta', 'report', 'extra', '__proto__'];

/** A valid example of each type, to mutate from (random field soup alone is almost never valid). */
const VALID: Record<string, Record<string, unknown>> = {
  'room.join': { rid: 1, room: 'standup', meta: { name: 'Ada' } },
  'room.leave': { rid: 'x', room: 'standup' },
  signal: { rid: 2, room: 'standup', to: 'p_2', payload: { kind: 'offer', sdp: 'v=0' } },
  'room.broadcast': { room: 'standup', data: { text: 'hi' } },
  'room.state.set': { room: 'standup', key: 'presenter', value: 'p_2' },
  direct: { toUser: 'bob', data: { invite: 'standup' } },
  stats: { room: 'standup', report: { connections: [{ remotePeerId: 'p_2', path: 'relay', rttMs: 40 }] } },
  ping: { rid: 9 },
};

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), field: fc.constantFrom(...fieldNames), value: interesting }),
  fc.record({ kind: fc.constant('delete' as const), field: fc.constantFrom(...fieldNames) }),
);

const mutated = fc
  .record({ type: fc.constantFrom(...CLIENT_MESSAGE_TYPES), mutations: fc.array(mutation, { maxLength: 2 }) })
  .map(({ type, mutations }) => {
    const fields: Record<string, unknown> = { ...VALID[type] };
    for (const change of mutations) {
      if (change.kind === 'delete') delete fields[change.field];
      else fields[change.field] = change.value;
    }
    return { type, fields };
  });

const soup = fc.record({
  type: fc.constantFrom(...CLIENT_MESSAGE_TYPES),
  fields: fc.dictionary(fc.constantFrom(...fieldNames), interesting, { maxKeys: 6 }),
});

const message = fc.oneof(mutated, soup);

describe('hand-written validators', () => {
  it('accept exactly what the protocol zod schemas accept, for every message type', () => {
    const verdicts = new Map<string, { accepted: number; refused: number }>(CLIENT_MESSAGE_TYPES.map((type) => [type, { accepted: 0, refused: 0 }]));
    fc.assert(
      fc.property(message, ({ type, fields }) => {
        // Through JSON, as frames arrive (this also makes "__proto__" an own key, as JSON.parse does).
        const candidate = JSON.parse(JSON.stringify({ type, ...fields })) as Record<string, unknown>;
        if (Object.hasOwn(fields, '__proto__')) Object.defineProperty(candidate, '__proto__', { value: fields.__proto__, enumerable: true });
        const zodAccepts = CLIENT_MESSAGE_SCHEMAS[type].safeParse(candidate).success;
        const fastAccepts = VALIDATORS[type](candidate) === null;
        expect(fastAccepts, JSON.stringify(candidate)).toBe(zodAccepts);
        verdicts.get(type)![zodAccepts ? 'accepted' : 'refused']++;
      }),
      { numRuns: 20_000 },
    );
    // The generator must have produced both valid and invalid messages of every type.
    for (const [type, counts] of verdicts) {
      expect(counts.accepted, `${type} accepted`).toBeGreaterThan(0);
      expect(counts.refused, `${type} refused`).toBeGreaterThan(0);
    }
  });

  it('accept a valid message of each frequent type', () => {
    expect(VALIDATORS.signal({ type: 'signal', rid: 1, room: 'r', to: 'p_1', payload: { sdp: 'v=0' } })).toBeNull();
    expect(VALIDATORS['room.broadcast']({ type: 'room.broadcast', room: 'r', data: null })).toBeNull();
    expect(VALIDATORS['room.state.set']({ type: 'room.state.set', room: 'r', key: 'k', value: false })).toBeNull();
    expect(VALIDATORS.direct({ type: 'direct', toUser: 'bob', data: 1 })).toBeNull();
    expect(VALIDATORS.ping({ type: 'ping' })).toBeNull();
    expect(VALIDATORS['room.leave']({ type: 'room.leave', room: 'r' })).toBeNull();
  });
});

describe('decodeClientFrame', () => {
  it('names malformed JSON, unknown types, missing fields and wrong types with stable codes', () => {
    expect(decodeClientFrame('{not json')).toMatchObject({ ok: false, code: 'MALFORMED_JSON', rid: undefined });
    expect(decodeClientFrame('[1,2]')).toMatchObject({ ok: false, code: 'INVALID_MESSAGE' });
    expect(decodeClientFrame('{"type":"nope","rid":4}')).toMatchObject({ ok: false, code: 'UNKNOWN_TYPE', rid: 4 });
    expect(decodeClientFrame('{"rid":"x"}')).toMatchObject({ ok: false, code: 'INVALID_MESSAGE', rid: 'x' });
    expect(decodeClientFrame('{"type":"signal","rid":5,"room":"r","to":"p"}')).toMatchObject({ ok: false, code: 'INVALID_MESSAGE', rid: 5 });
    expect(decodeClientFrame('{"type":"signal","rid":6,"room":7,"to":"p","payload":1}')).toMatchObject({ ok: false, code: 'INVALID_MESSAGE', rid: 6 });
  });

  it('does not echo a rid that is itself invalid', () => {
    expect(decodeClientFrame(`{"type":"ping","rid":"${'x'.repeat(65)}"}`)).toMatchObject({ ok: false, code: 'INVALID_MESSAGE', rid: undefined });
  });

  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string(), (text) => typeof decodeClientFrame(text).ok === 'boolean'));
    fc.assert(fc.property(fc.jsonValue(), (value) => typeof decodeClientFrame(JSON.stringify(value)).ok === 'boolean'));
  });
});
