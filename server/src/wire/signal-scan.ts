import type { RequestId } from '@parley/protocol';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './json-chars.js';
import { JSON_STRING_BODY_PATTERN, jsonValuePattern } from './json-pattern.js';

/**
 * The fast path for `signal` frames, the relay's hot path: one pass over the text that checks
 * the whole frame (JSON grammar of RFC 8259 included) and the `signal` schema, without building
 * the payload as objects. The payload is opaque to the broker: it only has to be valid JSON,
 * and it is forwarded as the client's own text.
 *
 * It reads text or a byte string (frame.ts) alike: everything it interprets is ASCII, and in a
 * string value it only looks for quotes, backslashes and control characters, which are the same
 * in both forms, so any other byte of a multi-byte character passes as the character would.
 *
 * The scanner only ever says yes or "not mine": a frame it does not accept in full (another
 * type, an escape sequence in an envelope field, a duplicate or unknown key, a number rid that
 * is not a plain integer, any grammar or schema error...) returns null, and the caller decodes
 * it with JSON.parse and the validators as before. So errors, their codes and their reasons
 * come from one place, and a frame is accepted here only when JSON.parse plus the `signal`
 * schema would accept it with the same fields (property-tested in signal-scan.test.ts).
 */
export interface ScannedSignal {
  room: string;
  to: string;
  rid: RequestId | undefined;
  /** The payload's JSON text, exactly as the client sent it. */
  payloadJson: string;
}

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_1 = 0x31;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** Nesting deeper than this is left to JSON.parse (which has no such limit). */
const MAX_DEPTH = 256;
const IN_OBJECT = 1;
const IN_ARRAY = 2;
/** Open containers of the value being scanned; reused, so scanning allocates nothing. */
const containers = new Uint8Array(MAX_DEPTH);

/** Envelope keys, as bits of the `seen` mask. */
const KEY_TYPE = 1;
const KEY_ROOM = 2;
const KEY_TO = 4;
const KEY_PAYLOAD = 8;
const KEY_RID = 16;
const REQUIRED_KEYS = KEY_TYPE | KEY_ROOM | KEY_TO | KEY_PAYLOAD;

/** Request ids up to 15 digits are always safe integers (2^53 has 16 digits). */
const MAX_RID_DIGITS = 15;
const MAX_RID_LENGTH = 64;
const MAX_ROOM_LENGTH = 128;
const MAX_PEER_ID_LENGTH = 64;

/** JSON whitespace (RFC 8259 §2): space, tab, line feed, carriage return; nothing else. */
function skipSpace(text: string, index: number): number {
  for (;;) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return index;
    index++;
  }
}

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

function isAlphanumeric(code: number): boolean {
  return (code >= DIGIT_0 && code <= DIGIT_9) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Room name characters after the first: A-Z a-z 0-9 . _ ~ : - (protocol/src/ids.ts). */
function isRoomCharacter(code: number): boolean {
  return isAlphanumeric(code) || code === DOT || code === 0x5f || code === 0x7e || code === COLON || code === MINUS;
}

/** Peer id characters: A-Z a-z 0-9 _ - (protocol/src/ids.ts). */
function isPeerIdCharacter(code: number): boolean {
  return isAlphanumeric(code) || code === 0x5f || code === MINUS;
}

/**
 * A JSON string's body and closing quote. One call of the regex engine per string (compiled to
 * native code) is about twice as fast as a charCodeAt loop over an SDP-sized string, and
 * allocates nothing (sticky `test`); the pattern matches in linear time (json-pattern.ts).
 */
const STRING_BODY = new RegExp(JSON_STRING_BODY_PATTERN, 'y');

/** Strings up to this length are checked with a plain loop. */
const SHORT_STRING_LENGTH = 24;

/** Index just past the JSON string whose opening quote is at `index`, or -1 when it is not a valid string. */
function skipString(text: string, index: number): number {
  // Most strings are short keys and ids without escapes: find the closing quote natively and
  // check the few characters before it; the regex call costs more than that for them.
  const close = text.indexOf('"', index + 1);
  if (close < 0) return -1;
  if (close - index <= SHORT_STRING_LENGTH) {
    let at = index + 1;
    for (; at < close; at++) {
      const code = text.charCodeAt(at);
      if (code < 0x20) return -1;
      if (code === BACKSLASH) break;
    }
    if (at === close) return close + 1;
  }
  STRING_BODY.lastIndex = index + 1;
  return STRING_BODY.test(text) ? STRING_BODY.lastIndex : -1;
}

/** Index just past the JSON number at `index` (RFC 8259 §6), or -1. */
function skipNumber(text: string, index: number): number {
  if (text.charCodeAt(index) === MINUS) index++;
  const first = text.charCodeAt(index);
  if (first === DIGIT_0) index++;
  else if (first >= DIGIT_1 && first <= DIGIT_9) while (isDigit(text.charCodeAt(++index)));
  else return -1;
  if (text.charCodeAt(index) === DOT) {
    if (!isDigit(text.charCodeAt(++index))) return -1;
    while (isDigit(text.charCodeAt(++index)));
  }
  const exponent = text.charCodeAt(index);
  if (exponent === LOWER_E || exponent === UPPER_E) {
    const sign = text.charCodeAt(++index);
    if (sign === PLUS || sign === MINUS) index++;
    if (!isDigit(text.charCodeAt(index))) return -1;
    while (isDigit(text.charCodeAt(++index)));
  }
  return index;
}

/** Index just past the object key (a string) and its colon at `index`, or -1. */
function skipMemberName(text: string, index: number): number {
  if (text.charCodeAt(index) !== QUOTE) return -1;
  index = skipString(text, index);
  if (index < 0) return -1;
  index = skipSpace(text, index);
  return text.charCodeAt(index) === COLON ? index + 1 : -1;
}

/**
 * Index just past the JSON value at `index` (leading whitespace allowed), or -1 when the text
 * there is not one valid JSON value. Iterative, with the open containers in a fixed array.
 */
export function skipJsonValue(text: string, index: number): number {
  let depth = 0;
  for (;;) {
    // A value.
    index = skipSpace(text, index);
    const code = text.charCodeAt(index);
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (depth === MAX_DEPTH) return -1;
      const isObject = code === OPEN_BRACE;
      containers[depth++] = isObject ? IN_OBJECT : IN_ARRAY;
      index = skipSpace(text, index + 1);
      const next = text.charCodeAt(index);
      if (next === (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        depth--;
        index++;
      } else {
        if (isObject) {
          index = skipMemberName(text, index);
          if (index < 0) return -1;
        }
        continue;
      }
    } else if (code === QUOTE) {
      index = skipString(text, index);
    } else if (code === MINUS || isDigit(code)) {
      index = skipNumber(text, index);
    } else if (code === 0x74) {
      index = text.startsWith('true', index) ? index + 4 : -1;
    } else if (code === 0x66) {
      index = text.startsWith('false', index) ? index + 5 : -1;
    } else if (code === 0x6e) {
      index = text.startsWith('null', index) ? index + 4 : -1;
    } else {
      return -1;
    }
    if (index < 0) return -1;
    // After a value: close containers, or move on to the next element or member.
    for (;;) {
      if (depth === 0) return index;
      index = skipSpace(text, index);
      const next = text.charCodeAt(index);
      const container = containers[depth - 1];
      if (next === COMMA) {
        index = skipSpace(text, index + 1);
        if (container === IN_OBJECT) {
          index = skipMemberName(text, index);
          if (index < 0) return -1;
        }
        break;
      }
      if ((next === CLOSE_BRACE && container === IN_OBJECT) || (next === CLOSE_BRACKET && container === IN_ARRAY)) {
        depth--;
        index++;
        continue;
      }
      return -1;
    }
  }
}

/** Which envelope key a plain (escape-free) key at `index` (its opening quote) is; 0 for any other. */
function envelopeKey(text: string, index: number): number {
  switch (text.charCodeAt(index + 1)) {
    case 0x74: // t
      if (text.startsWith('type"', index + 1)) return KEY_TYPE;
      return text.startsWith('to"', index + 1) ? KEY_TO : 0;
    case 0x72: // r
      if (text.startsWith('room"', index + 1)) return KEY_ROOM;
      return text.startsWith('rid"', index + 1) ? KEY_RID : 0;
    case 0x70: // p
      return text.startsWith('payload"', index + 1) ? KEY_PAYLOAD : 0;
    default:
      return 0;
  }
}

const KEY_LENGTH: Record<number, number> = { [KEY_TYPE]: 4, [KEY_ROOM]: 4, [KEY_TO]: 2, [KEY_PAYLOAD]: 7, [KEY_RID]: 3 };

/**
 * Scans one text frame as a `signal` message: `{ type: 'signal', rid?, room, to, payload }`
 * with no other key. Returns its fields, or null when the frame is anything else or anything
 * less than valid (the caller then decodes it the general way, which explains what is wrong).
 */
export function scanSignalFrame(text: string): ScannedSignal | null {
  return scanCanonicalSignal(text) ?? scanAnySignal(text);
}

/** How JSON.stringify writes a signal without rid (the SDK's shape): `{"type":"signal","room":"…","to":"…","payload":…}`. */
const CANONICAL_HEAD = '{"type":"signal","room":"';
const CANONICAL_TO = '","to":"';
const CANONICAL_PAYLOAD = '","payload":';

/**
 * Payloads nested deeper than this take the general walk. The SDK's are two deep (a candidate
 * object in the payload object); each level makes the pattern about four times larger.
 */
const CANONICAL_PAYLOAD_DEPTH = 3;

/**
 * The whole canonical frame as one pattern: the fixed text, the room name and peer id patterns
 * of protocol/src/ids.ts with their length limits, and a payload of bounded depth with nothing
 * after its closing brace. Sticky, so `test` allocates nothing.
 */
const CANONICAL_SIGNAL = new RegExp(
  `${escapeForPattern(CANONICAL_HEAD)}[A-Za-z0-9][A-Za-z0-9._~:-]{0,${MAX_ROOM_LENGTH - 1}}` +
    `${escapeForPattern(CANONICAL_TO)}[A-Za-z0-9_-]{1,${MAX_PEER_ID_LENGTH}}` +
    `${escapeForPattern(CANONICAL_PAYLOAD)}${jsonValuePattern(CANONICAL_PAYLOAD_DEPTH)}\\}$`,
  'y',
);

function escapeForPattern(text: string): string {
  return text.replace(/[{}[\]()*+?.\\^$|]/g, '\\$&');
}

/**
 * V8 runs a regex interpreted the first time and compiles it to native code on the next call;
 * for this pattern the two take 10–90 ms (measured, depending on load), which would otherwise
 * stall the event loop on the first `signal` frames a process relays. Paid here, at start-up.
 */
for (let warmUp = 0; warmUp < 2; warmUp++) scanCanonicalSignal('{"type":"signal","room":"r","to":"p","payload":{"a":[1]}}');

/**
 * The canonical layout, checked in one regex call; the fields are then found by position (room
 * names and peer ids contain no quote, and the payload ends just before the last character).
 * Anything else returns null and the frame is scanned the general way (which may still accept
 * it). Exported so tests can prove the SDK's frames take this path, not only that some path
 * accepts them.
 */
export function scanCanonicalSignal(text: string): ScannedSignal | null {
  CANONICAL_SIGNAL.lastIndex = 0;
  try {
    if (!CANONICAL_SIGNAL.test(text)) return null;
  } catch {
    // The regex engine's backtracking stack is bounded: the densest payload, `[1,1,1,…]`, runs
    // it out at about 2.9 MiB, where the largest configurable message is 1 MiB (tested). Should
    // it ever run out, the frame takes the general walk.
    return null;
  }
  const roomStart = CANONICAL_HEAD.length;
  const roomEnd = text.indexOf('"', roomStart);
  const toStart = roomEnd + CANONICAL_TO.length;
  const toEnd = text.indexOf('"', toStart);
  return {
    room: text.slice(roomStart, roomEnd),
    to: text.slice(toStart, toEnd),
    rid: undefined,
    payloadJson: text.slice(toEnd + CANONICAL_PAYLOAD.length, text.length - 1),
  };
}

/** Any key order, optional rid, whitespace anywhere JSON allows it. */
function scanAnySignal(text: string): ScannedSignal | null {
  let index = skipSpace(text, 0);
  if (text.charCodeAt(index) !== OPEN_BRACE) return null;
  let seen = 0;
  let room = '';
  let to = '';
  let rid: RequestId | undefined;
  let payloadStart = 0;
  let payloadEnd = 0;
  for (;;) {
    index = skipSpace(text, index + 1);
    if (text.charCodeAt(index) !== QUOTE) return null;
    const key = envelopeKey(text, index);
    if (key === 0 || (seen & key) !== 0) return null;
    seen |= key;
    index = skipSpace(text, index + KEY_LENGTH[key]! + 2);
    if (text.charCodeAt(index) !== COLON) return null;
    index = skipSpace(text, index + 1);
    switch (key) {
      case KEY_TYPE:
        if (!text.startsWith('"signal"', index)) return null;
        index += 8;
        break;
      case KEY_ROOM: {
        if (text.charCodeAt(index) !== QUOTE || !isAlphanumeric(text.charCodeAt(index + 1))) return null;
        const start = index + 1;
        index = start + 1;
        while (isRoomCharacter(text.charCodeAt(index))) index++;
        if (text.charCodeAt(index) !== QUOTE || index - start > MAX_ROOM_LENGTH) return null;
        room = text.slice(start, index);
        index++;
        break;
      }
      case KEY_TO: {
        if (text.charCodeAt(index) !== QUOTE) return null;
        const start = index + 1;
        index = start;
        while (isPeerIdCharacter(text.charCodeAt(index))) index++;
        if (text.charCodeAt(index) !== QUOTE || index === start || index - start > MAX_PEER_ID_LENGTH) return null;
        to = text.slice(start, index);
        index++;
        break;
      }
      case KEY_RID: {
        const first = text.charCodeAt(index);
        if (first === QUOTE) {
          // Plain ASCII strings only: an escape sequence goes the general way (JSON.parse decodes
          // it), and so does any other character, as it reads differently in a byte string
          // (frame.ts) than in text.
          const start = index + 1;
          index = start;
          for (;;) {
            const code = text.charCodeAt(index);
            if (code === QUOTE) break;
            if (code < 0x20 || code === BACKSLASH || code > 0x7e || Number.isNaN(code)) return null;
            index++;
          }
          if (index - start > MAX_RID_LENGTH) return null;
          rid = text.slice(start, index);
          index++;
        } else {
          // Plain integers only (no fraction or exponent, at most 15 digits: always safe).
          const negative = first === MINUS;
          let digit = negative ? index + 1 : index;
          const start = digit;
          let value = 0;
          const leading = text.charCodeAt(digit);
          if (leading === DIGIT_0) digit++;
          else if (leading >= DIGIT_1 && leading <= DIGIT_9) {
            while (isDigit(text.charCodeAt(digit))) value = value * 10 + (text.charCodeAt(digit++) - DIGIT_0);
          } else return null;
          const after = text.charCodeAt(digit);
          if (digit - start > MAX_RID_DIGITS || after === DOT || after === LOWER_E || after === UPPER_E || isDigit(after)) return null;
          rid = negative ? -value : value;
          index = digit;
        }
        break;
      }
      case KEY_PAYLOAD:
        payloadStart = index;
        index = skipJsonValue(text, index);
        if (index < 0) return null;
        payloadEnd = index;
        break;
    }
    index = skipSpace(text, index);
    const separator = text.charCodeAt(index);
    if (separator === CLOSE_BRACE) break;
    if (separator !== COMMA) return null;
  }
  if ((seen & REQUIRED_KEYS) !== REQUIRED_KEYS) return null;
  if (skipSpace(text, index + 1) !== text.length) return null;
  return { room, to, rid, payloadJson: text.slice(payloadStart, payloadEnd) };
}
