import { jsonCharacter, jsonDepth, nearMisses } from '@parley/test-support/json-edits';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonValuePattern } from './json-pattern.js';

const MAX_DEPTH = 3;
const WHOLE_VALUE = new RegExp(`^${jsonValuePattern(MAX_DEPTH)}$`);

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const values = fc.jsonValue({ maxDepth: MAX_DEPTH + 1 });
const texts = fc.oneof(
  values.map((value) => JSON.stringify(value)),
  fc.tuple(values, fc.constantFrom(1, '\t', ' \r\n')).map(([value, indent]) => JSON.stringify(value, null, indent).trim()),
  nearMisses(values.map((value) => JSON.stringify(value))),
  fc.array(jsonCharacter, { maxLength: 12 }).map((parts) => parts.join('')),
);

describe('jsonValuePattern', () => {
  it(`matches exactly the JSON texts JSON.parse accepts that nest at most ${MAX_DEPTH} deep (no whitespace around the value)`, () => {
    let matched = 0;
    fc.assert(
      fc.property(texts, (text) => {
        const parsed = parse(text);
        const expected = parsed.ok && jsonDepth(parsed.value) <= MAX_DEPTH && text.trim() === text;
        const actual = WHOLE_VALUE.test(text);
        if (actual) matched++;
        expect(actual, text).toBe(expected);
      }),
      { numRuns: 4000 },
    );
    expect(matched).toBeGreaterThan(500);
  });

  it('takes every escape and rejects raw control characters, bad escapes and bad numbers', () => {
    for (const good of ['"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"', '-0', '0.5e-7', '1E+2', '{}', '[]', '[[[1]]]', '{ "a" : [ 1 , { "b" : null } ] }', '"日本語 🎉"']) {
      expect(WHOLE_VALUE.test(good), good).toBe(true);
    }
    for (const bad of ['"a\u0000"', '"tab\there"', '"\\x41"', '"\\v"', "\"\\'\"", '"\\u12"', '"\\ "', '01', '+1', '.5', '1.', '-', '1e', 'NaN', 'tru', '[1,]', '{"a":1,}', '{a:1}', "'a'", '[[[[1]]]]', '[1] ', ' 1', '[1,\u00a02]', '[1,\ufeff2]', '[1,\f2]', '[1,\v2]', '[1,\u20282]']) {
      expect(WHOLE_VALUE.test(bad), bad).toBe(false);
    }
  });
});
