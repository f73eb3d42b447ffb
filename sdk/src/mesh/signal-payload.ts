/**
 * What peers put in the opaque `payload` of a `signal` message. The server relays it untouched,
 * so it arrives from another browser and is checked before it reaches RTCPeerConnection.
 */
export type SignalPayload =
  | { kind: 'description'; description: RTCSessionDescriptionInit }
  | { kind: 'candidate'; candidate: RTCIceCandidateInit };

const DESCRIPTION_TYPES: ReadonlySet<string> = new Set<RTCSdpType>(['offer', 'answer', 'pranswer', 'rollback']);
/** Far above any real SDP of a mesh call (a few KB), far below the server's frame limit. */
const MAX_SDP_CHARS = 64 * 1024;
const MAX_CANDIDATE_CHARS = 1024;

export function parseSignalPayload(value: unknown): SignalPayload | null {
  if (typeof value !== 'object' || value === null) return null;
  const payload = value as Record<string, unknown>;
  if (payload.kind === 'description') {
    const description = payload.description as Record<string, unknown> | null;
    if (typeof description !== 'object' || description === null) return null;
    const { type, sdp } = description;
    if (typeof type !== 'string' || !DESCRIPTION_TYPES.has(type)) return null;
    if (sdp !== undefined && (typeof sdp !== 'string' || sdp.length > MAX_SDP_CHARS)) return null;
    return { kind: 'description', description: { type: type as RTCSdpType, ...(typeof sdp === 'string' ? { sdp } : {}) } };
  }
  if (payload.kind === 'candidate') {
    const candidate = payload.candidate as Record<string, unknown> | null;
    if (typeof candidate !== 'object' || candidate === null) return null;
    const { candidate: line, sdpMid, sdpMLineIndex, usernameFragment } = candidate;
    if (typeof line !== 'string' || line.length > MAX_CANDIDATE_CHARS) return null;
    const init: RTCIceCandidateInit = { candidate: line };
    if (typeof sdpMid === 'string') init.sdpMid = sdpMid;
    if (typeof sdpMLineIndex === 'number' && Number.isInteger(sdpMLineIndex)) init.sdpMLineIndex = sdpMLineIndex;
    if (typeof usernameFragment === 'string') init.usernameFragment = usernameFragment;
    return { kind: 'candidate', candidate: init };
  }
  return null;
}
