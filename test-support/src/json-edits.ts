import fc from 'fast-check';

/**
 * Near misses of JSON for property tests of the scanners that must agree with JSON.parse: a
 * valid text with a few characters inserted, removed or replaced by characters that make and
 * break JSON (structure, escapes, control and non-ASCII characters, lone surrogates, protocol
 * keys) lands mostly just beside the grammar, where a hand-written fast path goes wrong.
 */
export const jsonCharacter: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...'{}[]":,\\ \t\n\r0123456789-+.eEtrufalsn/bu'.split(''),
    '\u0000',
    '\u001f',
    '\u007f',
    // Whitespace to other standards than JSON's.
    '\f',
    '\v',
    '\u00a0',
    '\u2028',
    '\ufeff',
    '\ud800',
    'é',
    // Escapes JSON does not have, and a cut one.
    '\\v',
    "\\'",
    '\\x',
    '\\u00',
    'type',
    'rid',
    'signal',
    '"rid":1,',
    '"x":',
  ),
  fc.string({ maxLength: 2 }),
);

export interface JsonEdit {
  at: number;
  remove: number;
  insert: string;
}

export const jsonEdit: fc.Arbitrary<JsonEdit> = fc.record({
  at: fc.nat(),
  remove: fc.nat(3),
  insert: fc.array(jsonCharacter, { maxLength: 2 }).map((parts) => parts.join('')),
});

/** Applies the edits in order; positions wrap around the text's current length. */
export function applyEdits(text: string, edits: readonly JsonEdit[]): string {
  for (const { at, remove, insert } of edits) {
    const position = at % (text.length + 1);
    text = text.slice(0, position) + insert + text.slice(position + remove);
  }
  return text;
}

/** Containers nested around the deepest scalar of a parsed JSON value: 0 for a scalar, 1 for `[1]`, 2 for `[{"a":1}]`. */
export function jsonDepth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((deepest, child) => Math.max(deepest, jsonDepth(child)), 0);
}

/** `texts`, each with 1 to `maxEdits` edits. */
export function nearMisses(texts: fc.Arbitrary<string>, maxEdits = 3): fc.Arbitrary<string> {
  return fc.tuple(texts, fc.array(jsonEdit, { minLength: 1, maxLength: maxEdits })).map(([text, edits]) => applyEdits(text, edits));
}
