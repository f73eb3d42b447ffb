import type { IceServer } from '@parley/protocol';
import { relayProtocolOf } from './relay-protocol.js';

/**
 * Checks that the TURN servers hand out relay candidates, before anyone else is in the room: a
 * throwaway RTCPeerConnection (relay only) gathers candidates and the probe reports whether a
 * relay candidate appeared within the time allowed, and the errors the browser saw. Lets an app
 * say "the relay is unreachable" up front instead of showing a call that never connects.
 */
export interface TurnProbeResult {
  ok: boolean;
  /**
   * Whether any TURN URL was given at all. A server without a relay is not an unreachable relay:
   * direct calls may still work, only relay-only calls cannot.
   */
  configured: boolean;
  /** Transports ("udp", "tcp", "tls") over which a relay candidate was obtained. */
  relayProtocols: string[];
  errors: Array<{ url: string; errorCode: number; errorText: string }>;
  elapsedMs: number;
}

export const DEFAULT_TURN_PROBE_TIMEOUT_MS = 5_000;

export async function probeTurn(iceServers: IceServer[], timeoutMs = DEFAULT_TURN_PROBE_TIMEOUT_MS): Promise<TurnProbeResult> {
  const startedAt = performance.now();
  if (!hasTurnUrl(iceServers)) return { ok: false, configured: false, relayProtocols: [], errors: [], elapsedMs: 0 };
  const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: 'relay' });
  const relayProtocols = new Set<string>();
  const errors: TurnProbeResult['errors'] = [];
  try {
    pc.createDataChannel('parley-turn-probe');
    const finished = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      pc.onicecandidate = ({ candidate }) => {
        if (candidate?.type === 'relay') relayProtocols.add(relayProtocolOf(candidate) ?? 'udp');
        if (!candidate) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    pc.onicecandidateerror = (event) => {
      const error = event as RTCPeerConnectionIceErrorEvent;
      errors.push({ url: error.url, errorCode: error.errorCode, errorText: error.errorText });
    };
    await pc.setLocalDescription(await pc.createOffer());
    await finished;
  } finally {
    pc.close();
  }
  return { ok: relayProtocols.size > 0, configured: true, relayProtocols: [...relayProtocols], errors, elapsedMs: Math.round(performance.now() - startedAt) };
}

/** Whether any of the servers is a TURN server (`turn:` or `turns:`; `stun:` gives no relay). */
export function hasTurnUrl(iceServers: IceServer[]): boolean {
  return iceServers.some((server) => server.urls.some((url) => /^turns?:/i.test(url)));
}
