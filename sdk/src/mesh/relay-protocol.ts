/** How this client reaches the TURN server of a relay candidate (Chromium's `relayProtocol`, not yet in TypeScript's DOM types). */
export function relayProtocolOf(candidate: RTCIceCandidate): string | undefined {
  const value = (candidate as RTCIceCandidate & { relayProtocol?: string | null }).relayProtocol;
  return value ?? undefined;
}
