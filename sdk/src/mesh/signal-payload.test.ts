import { describe, expect, it } from 'vitest';
import { parseSignalPayload } from './signal-payload.js';

describe('parseSignalPayload', () => {
  it('accepts descriptions and candidates and keeps only the known fields', () => {
    expect(parseSignalPayload({ kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n', extra: 1 } })).toEqual({
      kind: 'description',
      description: { type: 'offer', sdp: 'v=0\r\n' },
    });
    expect(parseSignalPayload({ kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ relay', sdpMid: '0', sdpMLineIndex: 0 } })).toEqual({
      kind: 'candidate',
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ relay', sdpMid: '0', sdpMLineIndex: 0 },
    });
  });

  it('rejects what another browser should never send', () => {
    const bad = [
      null,
      'offer',
      { kind: 'description', description: { type: 'hack', sdp: '' } },
      { kind: 'description', description: { type: 'offer', sdp: 'x'.repeat(70_000) } },
      { kind: 'description', description: null },
      { kind: 'candidate', candidate: { candidate: 42 } },
      { kind: 'candidate', candidate: { candidate: 'c'.repeat(2_000) } },
      { kind: 'renegotiate' },
    ];
    for (const payload of bad) expect(parseSignalPayload(payload)).toBeNull();
  });
});
