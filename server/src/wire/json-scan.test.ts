import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawMemberValue } from './json-scan.js';

describe('rawMemberValue', () => {
  it('returns the exact text of a member, whatever its type and position', () => {
    const text = '{ "type" : "signal", "payload" : {"sdp":"v=0\\r\\n\\"x\\"}","n":[1,{"a":"}"}]} , "to":"p_1","n":-1.5e3,"t":true}';
    expect(rawMemberValue(text, 'payload')).toBe('{"sdp":"v=0\\r\\n\\"x\\"}","n":[1,{"a":"}"}]}');
    expect(rawMemberValue(text, 'to')).toBe('"p_1"');
    expect(rawMemberValue(text, 'n')).toBe('-1.5e3');
    expect(rawMemberValue(text, 't')).toBe('true');
    expect(rawMemberValue(text, 'missing')).toBeUndefined();
  });

  it('takes the last of duplicate keys and decodes escaped key names, as JSON.parse does', () => {
    expect(rawMemberValue('{"payload":1,"payload":2}', 'payload')).toBe('2');
    expect(rawMemberValue('{"pay\\u006coad":"x"}', 'payload')).toBe('"x"');
  });

  it('agrees with JSON.parse on every member of any JSON object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.boolean(), (object, pretty) => {
        const text = pretty ? JSON.stringify(object, null, 2) : JSON.stringify(object);
        for (const key of Object.keys(object)) {
          const raw = rawMemberValue(text, key);
          expect(raw).toBeDefined();
          expect(JSON.parse(raw!)).toEqual(JSON.parse(text)[key]);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
