import { describe, expect, it } from 'vitest';
import { hasTurnUrl, probeTurn } from './turn-probe.js';

describe('the TURN probe', () => {
  it('recognises turn: and turns: URLs, not stun:', () => {
    expect(hasTurnUrl([{ urls: ['turn:relay.example:3478?transport=udp'] }])).toBe(true);
    expect(hasTurnUrl([{ urls: ['stun:relay.example'] }, { urls: ['TURNS:relay.example:443?transport=tcp'] }])).toBe(true);
    expect(hasTurnUrl([{ urls: ['stun:relay.example'] }])).toBe(false);
    expect(hasTurnUrl([])).toBe(false);
  });

  it('reports "no relay configured" without opening a connection when no TURN server is given', async () => {
    // Node has no RTCPeerConnection: reaching for one would throw here.
    expect(globalThis.RTCPeerConnection).toBeUndefined();
    expect(await probeTurn([{ urls: ['stun:relay.example'] }])).toEqual({ ok: false, configured: false, relayProtocols: [], errors: [], elapsedMs: 0 });
  });
});
