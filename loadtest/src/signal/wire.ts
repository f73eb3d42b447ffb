/**
 * The load-test messages, as text. Pure and import-free at run time (only `import type`), because
 * the k6 scripts import this file too: k6 runs no npm packages.
 *
 * Every `signal` the generator sends is shaped like a real SDP offer, answer or trickled ICE
 * candidate of about MESSAGE_TARGET_BYTES, and carries a trace marker in its opaque payload:
 *
 *     "lt":"<pair id>.<sequence number>.<send time in µs>"
 *
 * A pair is one direction between two peers (sender → receiver), numbered within a run. The
 * receiver reads the marker (without parsing the JSON on the fast path) to check that every
 * message of every pair arrives exactly once and in order, and to measure its latency.
 */
import type { RoomName, PeerId } from '@parley/protocol';

/** Size of a whole `signal` frame as sent, in bytes, give or take a few for the marker's digits. */
export const MESSAGE_TARGET_BYTES = 300;
export const MARKER_KEY = 'lt';
/** The bytes that precede a marker's value in a serialized message. */
export const MARKER_PREFIX = `"${MARKER_KEY}":"`;

export const SIGNAL_KINDS = ['offer', 'answer', 'candidate'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** The kind of the `seq`-th message of a pair: an offer, its answer, then trickled candidates. */
export function signalKindFor(seq: number): SignalKind {
  const step = seq % 8;
  return step === 0 ? 'offer' : step === 1 ? 'answer' : 'candidate';
}

/** Realistic-looking filler; only its length matters to the broker. */
const SDP_FILLER =
  'v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\na=group:BUNDLE 0 1\\r\\na=extmap-allow-mixed\\r\\n' +
  'a=msid-semantic: WMS\\r\\nm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\\r\\nc=IN IP4 0.0.0.0\\r\\na=rtcp:9 IN IP4 0.0.0.0\\r\\n';
const CANDIDATE_FILLER =
  'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.5 rport 46154 generation 0 ufrag EsAw network-id 1 network-cost 10';

/**
 * A marker as text, fixed width (zero-padded), so a pre-encoded frame can be reused by patching
 * the digits in place. Widths: pair ids < 10^7, sequence numbers < 10^10, send times < 10^13 µs
 * (the generator's monotonic clock: 115 days).
 */
export const MARKER_PAIR_DIGITS = 7;
export const MARKER_SEQ_DIGITS = 10;
export const MARKER_TIME_DIGITS = 13;

export function formatMarker(pairId: number, seq: number, sentAtUs: number): string {
  return `${String(pairId).padStart(MARKER_PAIR_DIGITS, '0')}.${String(seq).padStart(MARKER_SEQ_DIGITS, '0')}.${String(sentAtUs).padStart(MARKER_TIME_DIGITS, '0')}`;
}

export interface Marker {
  pairId: number;
  seq: number;
  sentAtUs: number;
}

/** Reads the marker out of a message's text (k6 and the full-verification path use this). */
export function parseMarker(text: string): Marker | null {
  const start = text.indexOf(MARKER_PREFIX);
  if (start < 0) return null;
  const end = text.indexOf('"', start + MARKER_PREFIX.length);
  const parts = text.slice(start + MARKER_PREFIX.length, end).split('.');
  if (parts.length !== 3) return null;
  const [pairId, seq, sentAtUs] = parts.map(Number) as [number, number, number];
  return Number.isInteger(pairId) && Number.isInteger(seq) && Number.isFinite(sentAtUs) ? { pairId, seq, sentAtUs } : null;
}

/**
 * A `signal` message split around its marker: `head + marker + tail[kind]` is the frame text.
 * Built once per (sender, receiver) pair so the hot path is two string concatenations.
 */
export interface SignalTemplate {
  head: string;
  tails: Record<SignalKind, string>;
}

export function signalTemplate(room: RoomName | string, to: PeerId | string): SignalTemplate {
  const head = `{"type":"signal","room":${JSON.stringify(room)},"to":${JSON.stringify(to)},"payload":{`;
  const markerAllowance = formatMarker(0, 0, 0).length;
  const tails = {} as Record<SignalKind, string>;
  for (const kind of SIGNAL_KINDS) {
    const before = `${head}${MARKER_PREFIX}`;
    const shell = (body: string) =>
      kind === 'candidate'
        ? `","kind":"candidate","candidate":"${body}","sdpMid":"0","sdpMLineIndex":0}}`
        : `","kind":"${kind}","sdp":"${body}"}}`;
    const fixedBytes = before.length + markerAllowance + shell('').length;
    const filler = kind === 'candidate' ? CANDIDATE_FILLER : SDP_FILLER;
    const bodyBytes = Math.max(16, MESSAGE_TARGET_BYTES - fixedBytes);
    let body = filler.repeat(Math.ceil(bodyBytes / filler.length)).slice(0, bodyBytes);
    // Never cut an escape sequence (`\r`, `\n`) in half.
    if (body.endsWith('\\')) body = `${body.slice(0, -1)} `;
    tails[kind] = shell(body);
  }
  return { head: `${head}${MARKER_PREFIX}`, tails };
}

/** The full text of one traced `signal` message. */
export function signalText(template: SignalTemplate, pairId: number, seq: number, sentAtUs: number): string {
  return template.head + formatMarker(pairId, seq, sentAtUs) + template.tails[signalKindFor(seq)];
}

export function joinText(room: RoomName | string, rid: number | string): string {
  return JSON.stringify({ type: 'room.join', rid, room });
}

export function leaveText(room: RoomName | string, rid: number | string): string {
  return JSON.stringify({ type: 'room.leave', rid, room });
}

export function pingText(rid: number | string): string {
  return JSON.stringify({ type: 'ping', rid });
}
