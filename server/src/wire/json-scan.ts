/**
 * Finds where a top-level member's value sits in the text of a JSON object, so an opaque value
 * (a signal payload, broadcast data) can be forwarded as the exact bytes the client sent instead
 * of being serialized again. Only ever called on text that JSON.parse has already accepted as an
 * object, so it can skip values by their first character and bracket depth without re-checking
 * their grammar. Duplicate keys resolve to the last occurrence, as in JSON.parse.
 */

import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './json-chars.js';

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipSpace(text: string, index: number): number {
  while (index < text.length && isSpace(text.charCodeAt(index))) index++;
  return index;
}

/**
 * Index just past the string starting at `index` (its opening quote). Jumps from quote to quote
 * with indexOf (native) and counts the backslashes before each: an even number means the quote
 * is not escaped.
 */
function skipString(text: string, index: number): number {
  let quote = index;
  for (;;) {
    quote = text.indexOf('"', quote + 1);
    let before = quote - 1;
    while (text.charCodeAt(before) === BACKSLASH) before--;
    if ((quote - 1 - before) % 2 === 0) return quote + 1;
  }
}

/** Index just past the value starting at `index`. */
function skipValue(text: string, index: number): number {
  const first = text.charCodeAt(index);
  if (first === QUOTE) return skipString(text, index);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (;;) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) {
        index = skipString(text, index);
        continue;
      }
      if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
      else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return index + 1;
      }
      index++;
    }
  }
  // A number or a literal: runs until the next separator.
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isSpace(code)) break;
    index++;
  }
  return index;
}

/** The raw text of `object[key]` in `json` (a JSON object already validated by JSON.parse), or undefined. */
export function rawMemberValue(json: string, key: string): string | undefined {
  let found: string | undefined;
  let index = skipSpace(json, 0) + 1;
  for (;;) {
    index = skipSpace(json, index);
    if (json.charCodeAt(index) !== QUOTE) return found;
    const keyEnd = skipString(json, index);
    const rawKey = json.slice(index + 1, keyEnd - 1);
    const name = rawKey.includes('\\') ? (JSON.parse(json.slice(index, keyEnd)) as string) : rawKey;
    index = skipSpace(json, keyEnd);
    if (json.charCodeAt(index) !== COLON) return found;
    const valueStart = skipSpace(json, index + 1);
    const valueEnd = skipValue(json, valueStart);
    if (name === key) found = json.slice(valueStart, valueEnd);
    index = skipSpace(json, valueEnd);
    if (json.charCodeAt(index) === COMMA) index++;
    else return found;
  }
}
