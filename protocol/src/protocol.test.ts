import { describe, expect, it } from 'vitest';
import { ClientMessage, ERRORS, ERROR_CODES, errorCodeForClose, gradeQuality, Grants, ServerMessage } from './index.js';

describe('error table', () => {
  it('gives every closing error its own close code in the 4000-4999 range', () => {
    const closeCodes = ERROR_CODES.map((code) => ERRORS[code].wsCloseCode).flatMap((code) => (code === null ? [] : [code]));
    expect(new Set(closeCodes).size).toBe(closeCodes.length);
    for (const code of closeCodes) expect(code >= 4000 && code <= 4999).toBe(true);
  });

  it('maps a close code back to its error code', () => {
    expect(errorCodeForClose(4412)).toBe('TOKEN_EXPIRED');
    expect(errorCodeForClose(1000)).toBeUndefined();
  });
});

describe('client messages', () => {
  it('accepts each message type in its documented shape', () => {
    const examples = [
      { type: 'room.join', rid: 1, room: 'standup', meta: { name: 'Ada' } },
      { type: 'room.leave', room: 'standup' },
      { type: 'signal', rid: 'a', room: 'standup', to: 'p_2', payload: { kind: 'offer', sdp: 'v=0' } },
      { type: 'room.broadcast', room: 'standup', data: { text: 'hi' } },
      { type: 'room.state.set', room: 'standup', key: 'presenter', value: 'p_2' },
      { type: 'direct', toUser: 'bob', data: { invite: 'standup' } },
      { type: 'stats', room: 'standup', report: { connections: [{ remotePeerId: 'p_2', path: 'relay', relayProtocol: 'udp', rttMs: 40 }] } },
      { type: 'ping', rid: 9 },
    ];
    for (const example of examples) expect(ClientMessage.safeParse(example).success, example.type).toBe(true);
  });

  it('refuses unknown fields, bad room names and missing payloads', () => {
    expect(ClientMessage.safeParse({ type: 'room.join', room: 'x', admin: true }).success).toBe(false);
    expect(ClientMessage.safeParse({ type: 'room.join', room: '../etc' }).success).toBe(false);
    expect(ClientMessage.safeParse({ type: 'signal', room: 'x', to: 'p_1' }).success).toBe(false);
    expect(ClientMessage.safeParse({ type: 'nope' }).success).toBe(false);
  });
});

describe('server messages', () => {
  it('validates an error frame only with a known code', () => {
    expect(ServerMessage.safeParse({ type: 'error', code: 'RATE_LIMITED', rid: 3 }).success).toBe(true);
    expect(ServerMessage.safeParse({ type: 'error', code: 'WHATEVER' }).success).toBe(false);
  });
});

describe('grants', () => {
  it('defaults to nothing but broadcast', () => {
    expect(Grants.parse({})).toEqual({ rooms: [], create: false, admin: false, broadcast: true, direct: false });
  });
});

describe('quality grades', () => {
  it('grades by round-trip time and loss', () => {
    expect(gradeQuality(undefined, undefined)).toBe('unknown');
    expect(gradeQuality(40, 0)).toBe('good');
    expect(gradeQuality(200, 0.01)).toBe('fair');
    expect(gradeQuality(40, 0.04)).toBe('fair');
    expect(gradeQuality(400, 0)).toBe('poor');
    expect(gradeQuality(40, 0.2)).toBe('poor');
  });
});
