import { CLIENT_MESSAGE_SCHEMAS } from '@parley/protocol';
import { jsonCharacter, jsonDepth, nearMisses } from '@parley/test-support/json-edits';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeClientBytes, decodeClientFrame, parseClientFrame } from './decode.js';
import { utf8Bytes } from './frame.js';
import { rawMemberValue } from './json-scan.js';
import { scanCanonicalSignal, scanSignalFrame, skipJsonValue } from './signal-scan.js';

const OFFER = '{"type":"signal","rid":7,"room":"standup","to":"p_2","payload":{"kind":"offer","sdp":"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n"}}';

/** What JSON.parse plus the protocol's zod schema say about a frame, as a signal. */
function parseAsSignal(text: string): { room: string; to: string; rid: unknown; payload: unknown } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const result = CLIENT_MESSAGE_SCHEMAS.signal.safeParse(parsed);
  if (!result.success) return null;
  const message = parsed as { room: string; to: string; rid?: unknown; payload: unknown };
  return { room: message.room, to: message.to, rid: message.rid, payload: message.payload };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Whether `text` is one JSON value with optional JSON whitespace around it, by the scanner. */
function scansAsJson(text: string): boolean {
  const end = skipJsonValue(text, 0);
  return end >= 0 && /^[ \t\n\r]*$/.test(text.slice(end));
}

const roomName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._~:-]{0,127}$/);
const peerId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
/** Request ids the fast path takes: strings without escapes, integers of up to 15 digits. */
const plainRequestId = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 64 }).filter((rid) => !/["\\\u0000-\u001f]/.test(rid)),
  fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }),
);
/** Every valid request id (escaped strings and 16-digit integers go the general way). */
const anyRequestId = fc.oneof(plainRequestId, fc.string({ maxLength: 64 }), fc.maxSafeInteger());

/** Well-formed signal messages, keys in any order, serialized compactly or indented. */
const signalFrameWith = (requestId: fc.Arbitrary<string | number | undefined>) => fc
  .record({
    room: roomName,
    to: peerId,
    rid: requestId,
    payload: fc.jsonValue({ maxDepth: 4 }),
    order: fc.shuffledSubarray(['type', 'rid', 'room', 'to', 'payload'], { minLength: 5, maxLength: 5 }),
    indent: fc.constantFrom(undefined, 1, '\t', ' \r\n'),
  })
  .map(({ order, indent, ...fields }) => {
    const message: Record<string, unknown> = {};
    const values: Record<string, unknown> = { type: 'signal', ...fields };
    for (const key of order) if (values[key] !== undefined) message[key] = values[key];
    return JSON.stringify(message, null, indent);
  });
const validSignalFrame = signalFrameWith(plainRequestId);
/** The SDK's layout (JSON.stringify, no rid), which the scanner checks with one whole-frame pattern first. */
const canonicalSignalFrame = fc
  .record({ room: roomName, to: peerId, payload: fc.jsonValue({ maxDepth: 4 }) })
  .map((fields) => JSON.stringify({ type: 'signal', ...fields }));

/** Signal frames with a few characters inserted, removed or replaced: mostly near misses. */
const mutatedSignalFrame = nearMisses(fc.oneof(validSignalFrame, canonicalSignalFrame, fc.constant(OFFER)));

const anyFrame = fc.oneof(signalFrameWith(anyRequestId), canonicalSignalFrame, mutatedSignalFrame, fc.json(), fc.string(), fc.string({ unit: 'binary' }));

describe('scanSignalFrame', () => {
  it('reads the envelope fields and keeps the payload as the exact text the client sent', () => {
    expect(scanSignalFrame(OFFER)).toEqual({ room: 'standup', to: 'p_2', rid: 7, payloadJson: '{"kind":"offer","sdp":"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n"}' });
    expect(scanSignalFrame(' {\n "payload" : [1, -2.5e+3, true, null, "\\u00e9"] ,"to":"p","room":"r","type":"signal","rid":"abc"}\t')).toEqual({
      room: 'r',
      to: 'p',
      rid: 'abc',
      payloadJson: '[1, -2.5e+3, true, null, "\\u00e9"]',
    });
    expect(scanSignalFrame('{"type":"signal","room":"r","to":"p","payload":0,"rid":-0}')?.rid).toBe(-0);
  });

  it('leaves every frame it does not fully accept to the general decoder', () => {
    const rejected = [
      '{"type":"ping"}',
      '{"type":"sig\\u006eal","room":"r","to":"p","payload":1}',
      '{"type":"signal","room":"r","to":"p"}',
      '{"type":"signal","room":"r","to":"p","payload":1,"payload":2}',
      '{"type":"signal","room":"r","to":"p","payload":1,"extra":1}',
      '{"type":"signal","room":"-r","to":"p","payload":1}',
      `{"type":"signal","room":"${'r'.repeat(129)}","to":"p","payload":1}`,
      '{"type":"signal","room":"r","to":"p.q","payload":1}',
      `{"type":"signal","room":"r","to":"${'p'.repeat(65)}","payload":1}`,
      '{"type":"signal","room":"r","to":"","payload":1}',
      '{"type":"signal","room":"r","to":"p","payload":1,"rid":1.0}',
      '{"type":"signal","room":"r","to":"p","payload":1,"rid":1e3}',
      '{"type":"signal","room":"r","to":"p","payload":1,"rid":1234567890123456}',
      '{"type":"signal","room":"r","to":"p","payload":1,"rid":"\\u0041"}',
      `{"type":"signal","room":"r","to":"p","payload":1,"rid":"${'x'.repeat(65)}"}`,
      '{"type":"signal","room":"r","to":"p","payload":1,"rid":null}',
      '{"type":"signal","room":"r","to":"p","payload":[1,]}',
      '{"type":"signal","room":"r","to":"p","payload":{"a":1,}}',
      '{"type":"signal","room":"r","to":"p","payload":"tab\there"}',
      '{"type":"signal","room":"r","to":"p","payload":"\\x41"}',
      '{"type":"signal","room":"r","to":"p","payload":01}',
      '{"type":"signal","room":"r","to":"p","payload":NaN}',
      "{'type':'signal','room':'r','to':'p','payload':1}",
      '{"type":"signal","room":"r","to":"p","payload":1} x',
      '{"type":"signal","room":"r","to":"p","payload":1}}',
      '\ufeff{"type":"signal","room":"r","to":"p","payload":1}',
      `{"type":"signal","room":"r","to":"p","payload":${'['.repeat(300)}${']'.repeat(300)}}`,
      '',
      '{}',
    ];
    for (const frame of rejected) expect(scanSignalFrame(frame), frame).toBeNull();
  });

  it('accepts every well-formed signal frame with a plain rid, whatever the key order, formatting or payload', () => {
    fc.assert(
      fc.property(validSignalFrame, (text) => {
        const scanned = scanSignalFrame(text);
        expect(scanned).not.toBeNull();
        const parsed = parseAsSignal(text)!;
        expect(scanned).toEqual({ room: parsed.room, to: parsed.to, rid: parsed.rid, payloadJson: rawMemberValue(text, 'payload') });
      }),
      { numRuns: 500 },
    );
  });

  it('reads the SDK layout through its whole-frame pattern with the same fields, and leaves near misses to the general walk', () => {
    fc.assert(
      fc.property(canonicalSignalFrame, (text) => {
        const parsed = parseAsSignal(text)!;
        const expected = { room: parsed.room, to: parsed.to, rid: undefined, payloadJson: rawMemberValue(text, 'payload') };
        expect(scanSignalFrame(text)).toEqual(expected);
        // The whole-frame pattern itself takes every such frame with a payload up to 3 deep.
        expect(scanCanonicalSignal(text)).toEqual(jsonDepth(parsed.payload) <= 3 ? expected : null);
      }),
      { numRuns: 500 },
    );
    // Canonical up to the payload, then something the whole-frame pattern does not take.
    expect(scanSignalFrame('{"type":"signal","room":"r","to":"p","payload":1,"rid":2}')).toEqual({ room: 'r', to: 'p', rid: 2, payloadJson: '1' });
    expect(scanSignalFrame('{"type":"signal","room":"r","to":"p","payload": [1] \n}\t')).toEqual({ room: 'r', to: 'p', rid: undefined, payloadJson: '[1]' });
    expect(scanSignalFrame('{"type":"signal","room":"r","to":"p" ,"payload":1}')).toEqual({ room: 'r', to: 'p', rid: undefined, payloadJson: '1' });
    // Deeper than the whole-frame pattern reaches, and at the length limits of the ids.
    const deep = '{"a":[{"b":[{"c":[1]}]}]}';
    expect(scanSignalFrame(`{"type":"signal","room":"r","to":"p","payload":${deep}}`)).toEqual({ room: 'r', to: 'p', rid: undefined, payloadJson: deep });
    const longRoom = `R${'.'.repeat(127)}`;
    const longPeer = '-'.repeat(64);
    expect(scanCanonicalSignal(`{"type":"signal","room":"${longRoom}","to":"${longPeer}","payload":"x"}`)).toEqual({ room: longRoom, to: longPeer, rid: undefined, payloadJson: '"x"' });
    for (const frame of [
      '{"type":"signal","room":"r","to":"p","payload":1,"payload":2}',
      '{"type":"signal","room":"r","to":"p","payload":1}}',
      '{"type":"signal","room":"r","to":"p","payload":1',
      '{"type":"signal","room":"r","to":"","payload":1}',
      '{"type":"signal","room":"","to":"p","payload":1}',
      '{"type":"signal","room":"_r","to":"p","payload":1}',
      `{"type":"signal","room":"${'r'.repeat(129)}","to":"p","payload":1}`,
      `{"type":"signal","room":"r","to":"${'p'.repeat(65)}","payload":1}`,
      '{"type":"signal","room":"r","to":"p","payload":"\\u12"}',
      '{"type":"signal","room":"r","to":"p","payload":}',
      '{"type":"signal","room":"a/b","to":"p","payload":1}',
      '{"type":"signal","room":"r","to":"p~","payload":1}',
      '{"type":"signal","room":"r","to":"p","payload":"\\v"}',
      `{"type":"signal","room":"r","to":"p","payload":"\\'"}`,
      '{"type":"signal","room":"r","to":"p","payload":[1,\u00a02]}',
      '{"type":"signal","room":"r","to":"p","payload":[1,\ufeff2]}',
      '{"type":"signal","room":"r","to":"p","payload":[1,\f2]}',
      '{"type":"signal","room":"r","to":"p","payload":1\u00a0}',
    ]) {
      expect(scanSignalFrame(frame), frame).toBeNull();
    }
    // Valid JSON the whole-frame pattern leaves to the walk: whitespace after the payload.
    expect(scanCanonicalSignal('{"type":"signal","room":"r","to":"p","payload":[1] }')).toBeNull();
    expect(scanSignalFrame('{"type":"signal","room":"r","to":"p","payload":[1] }')?.payloadJson).toBe('[1]');
  });

  it('accepts a frame only when JSON.parse and the signal schema accept it, with the same fields', () => {
    let accepted = 0;
    fc.assert(
      fc.property(anyFrame, (text) => {
        const scanned = scanSignalFrame(text);
        if (scanned === null) return;
        accepted++;
        const parsed = parseAsSignal(text);
        expect(parsed, text).not.toBeNull();
        expect({ room: scanned.room, to: scanned.to, rid: scanned.rid }).toEqual({ room: parsed!.room, to: parsed!.to, rid: parsed!.rid });
        expect(JSON.parse(scanned.payloadJson)).toEqual(parsed!.payload);
        expect(scanned.payloadJson).toBe(rawMemberValue(text, 'payload'));
      }),
      { numRuns: 3000 },
    );
    // The generators reach the fast path often enough for this to mean something.
    expect(accepted).toBeGreaterThan(300);
  });
  it('reads frames of the largest configurable message size (1 MiB) in their densest shapes, matching or failing late', () => {
    const head = '{"type":"signal","room":"r","to":"p","payload":';
    const size = 1024 * 1024;
    const payloads = {
      ones: `[${'1,'.repeat(size / 2 - 40)}1]`,
      nested: `[[[${'1,'.repeat(size / 2 - 40)}1]]]`,
      escapes: `"${'\\n'.repeat(size / 2 - 40)}"`,
      members: `{${'"a":1,'.repeat(size / 6 - 40)}"b":1}`,
    };
    for (const [shape, payload] of Object.entries(payloads)) {
      // Through the whole-frame pattern itself (a regex engine failure would return null here).
      expect(scanCanonicalSignal(`${head}${payload}}`)?.payloadJson.length, shape).toBe(payload.length);
      // One bad character just before the end: the frame is refused, and nothing throws.
      const broken = `${payload.slice(0, -2)}x${payload.slice(-1)}`;
      expect(scanSignalFrame(`${head}${broken}}`), shape).toBeNull();
    }
  });
});

describe('skipJsonValue', () => {
  it('agrees with JSON.parse on which texts are JSON', () => {
    const nearJson = nearMisses(fc.json({ maxDepth: 4 }));
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 4 }), nearJson, fc.array(jsonCharacter, { maxLength: 12 }).map((parts) => parts.join(''))), (text) => {
        expect(scansAsJson(text), text).toBe(isJson(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('decodeClientFrame with the signal fast path', () => {
  it('answers every frame exactly as JSON.parse and the validators do: same outcome, code, rid and relayed payload text', () => {
    fc.assert(
      fc.property(anyFrame, (text) => {
        const fast = decodeClientFrame(text);
        const general = parseClientFrame(text);
        expect(fast.ok).toBe(general.ok);
        expect(fast.rid).toBe(general.rid);
        if (!fast.ok || !general.ok) {
          expect(fast).toEqual(general);
          return;
        }
        expect(fast.opaqueJson).toBe(general.opaqueJson);
        if (scanSignalFrame(text) === null) {
          expect(fast.message).toEqual(general.message);
          return;
        }
        // The fast path does not parse the payload: it is relayed as `opaqueJson`, compared above.
        const { payload: _payload, ...envelope } = general.message as unknown as Record<string, unknown>;
        expect(fast.message).toEqual(envelope);
      }),
      { numRuns: 3000 },
    );
  });
});

/** Signal frames full of what reads differently as bytes than as text: non-ASCII everywhere a client may put it. */
const unicodeSignalFrame = fc
  .record({
    room: roomName,
    to: peerId,
    rid: fc.oneof(fc.constant(undefined), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.integer()),
    payload: fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }),
    escape: fc.boolean(),
  })
  .map(({ escape, ...fields }) => {
    const text = JSON.stringify({ type: 'signal', ...fields });
    // JSON.stringify writes non-ASCII as is; a client may as well send \u escapes.
    return escape ? text.replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
  });

describe('decodeClientBytes', () => {
  it('answers every frame as decodeClientFrame answers its text, and keeps the opaque value as its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.oneof(anyFrame, unicodeSignalFrame, mutatedSignalFrame.map((text) => `${text}é`)), (written) => {
        const bytes = Buffer.from(written, 'utf8');
        // What the client's bytes say (lone surrogates in `written` cannot be sent as UTF-8).
        const text = bytes.toString('utf8');
        const fromBytes = decodeClientBytes(bytes);
        const fromText = decodeClientFrame(text);
        if (!fromText.ok) {
          expect(fromBytes).toEqual(fromText);
          return;
        }
        expect(fromBytes.ok).toBe(true);
        if (!fromBytes.ok) return;
        expect(fromBytes.rid).toBe(fromText.rid);
        expect(fromBytes.message).toEqual(fromText.message);
        expect(fromBytes.opaque).toBe(utf8Bytes(fromText.opaqueJson));
        expect(Buffer.from(fromBytes.opaque, 'latin1').toString('utf8')).toBe(fromText.opaqueJson);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes escaped quotes, unicode and nested objects in a payload through the fast path unchanged', () => {
    const payload = '{"sdp":"a=\\"x\\"\\\\","name":"Zoë 日本語 🎉","n":{"deep":[{"x":[1,{"y":"]}"}]}]}}';
    const frame = Buffer.from(`{"type":"signal","room":"r","to":"p","payload":${payload}}`, 'utf8');
    const decoded = decodeClientBytes(frame);
    expect(decoded).toEqual({ ok: true, message: { type: 'signal', room: 'r', to: 'p' }, rid: undefined, opaque: utf8Bytes(payload) });
    expect(scanSignalFrame(frame.toString('latin1'))).not.toBeNull();
  });

  it('sends a non-ASCII rid the general way, with the same answer', () => {
    const frame = Buffer.from('{"type":"signal","rid":"ré","room":"r","to":"p","payload":1}', 'utf8');
    expect(scanSignalFrame(frame.toString('latin1'))).toBeNull();
    expect(decodeClientBytes(frame)).toEqual({ ok: true, message: { type: 'signal', rid: 'ré', room: 'r', to: 'p', payload: 1 }, rid: 'ré', opaque: '1' });
  });
});
