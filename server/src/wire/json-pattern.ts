/**
 * Regular-expression sources for JSON text (RFC 8259), for checking a whole frame in one call
 * of V8's regex engine, which compiles a pattern to native code: on a ~300-byte signal frame it
 * is about three times as fast as walking the characters in JavaScript (docs/benchmarks.md).
 *
 * JSON as a whole is not a regular language (containers nest without bound), but JSON nested at
 * most `maxDepth` containers deep is, and a pattern for it is built here by expanding the
 * grammar that many times. Deeper values simply do not match; the caller then takes its general
 * path. Every choice in the patterns is settled by one character (each token starts with a
 * character no other token at that place starts with, and a string is "run (escape run)*", so
 * no text splits two ways), so a failing match backtracks over each character a bounded number
 * of times: time stays linear in the input, measured up to 1 MiB (docs/benchmarks.md).
 */

/**
 * A string's body and closing quote (§7): runs of characters other than a quote, a backslash or
 * a control character, and the escapes \" \\ \/ \b \f \n \r \t \uXXXX.
 */
export const JSON_STRING_BODY_PATTERN = String.raw`[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"`;

/** A string, quotes included. */
const JSON_STRING_PATTERN = `"${JSON_STRING_BODY_PATTERN}`;

/** A number (§6): no leading zeros, no lone dot, no plus sign in front. */
const JSON_NUMBER_PATTERN = String.raw`-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?`;

/** Insignificant whitespace (§2): space, tab, line feed, carriage return; nothing else. */
const JSON_SPACE_PATTERN = String.raw`[ \t\n\r]*`;

const SCALAR = `${JSON_STRING_PATTERN}|${JSON_NUMBER_PATTERN}|true|false|null`;

/**
 * One JSON value with at most `maxDepth` levels of objects and arrays (0: scalars only), as a
 * non-capturing group. Whitespace is allowed inside containers, not around the value. The
 * source grows about fourfold per level: depth 3 is ~18 KB, compiled once.
 */
export function jsonValuePattern(maxDepth: number): string {
  if (maxDepth === 0) return `(?:${SCALAR})`;
  const inner = jsonValuePattern(maxDepth - 1);
  const ws = JSON_SPACE_PATTERN;
  const member = `${JSON_STRING_PATTERN}${ws}:${ws}${inner}${ws}`;
  const object = `\\{${ws}(?:${member}(?:,${ws}${member})*)?\\}`;
  const array = `\\[${ws}(?:${inner}${ws}(?:,${ws}${inner}${ws})*)?\\]`;
  return `(?:${SCALAR}|${object}|${array})`;
}
