import type { ServerMessage } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { parseServerFrame, routeServerMessage } from './route.js';

const none = () => false;

describe('routeServerMessage', () => {
  it('answers a pending request before anything else, even a room message', () => {
    const joined = { type: 'room.joined', rid: 7, room: 'r', self: {}, peers: [], state: {} } as unknown as ServerMessage;
    expect(routeServerMessage(joined, (rid) => rid === 7)).toEqual({ to: 'request', rid: 7 });
  });

  it('sends an error with a pending rid to its request, and a stray error to the client', () => {
    const error = { type: 'error', rid: 3, code: 'ROOM_FULL' } as ServerMessage;
    expect(routeServerMessage(error, (rid) => rid === 3)).toEqual({ to: 'request', rid: 3 });
    expect(routeServerMessage(error, none)).toEqual({ to: 'client' });
  });

  it('hands room-scoped messages to their room by name', () => {
    for (const type of ['peer.joined', 'peer.left', 'signal', 'room.broadcast', 'room.state', 'room.closed'] as const) {
      expect(routeServerMessage({ type, room: 'standup' } as unknown as ServerMessage, none)).toEqual({ to: 'room', room: 'standup' });
    }
  });

  it('keeps session, TURN refresh, drain and direct messages for the client', () => {
    for (const type of ['session', 'turn.refresh', 'drain', 'direct', 'pong'] as const) {
      expect(routeServerMessage({ type } as unknown as ServerMessage, none)).toEqual({ to: 'client' });
    }
  });

  it('ignores message types it does not know (a newer server)', () => {
    expect(routeServerMessage({ type: 'room.renamed' } as unknown as ServerMessage, none).to).toBe('ignore');
  });
});

describe('parseServerFrame', () => {
  it('parses a JSON object with a string type', () => {
    expect(parseServerFrame('{"type":"pong","serverTimeMs":1}')).toEqual({ type: 'pong', serverTimeMs: 1 });
  });

  it('returns null for binary data, bad JSON, non-objects and objects without a type', () => {
    expect(parseServerFrame(new ArrayBuffer(2))).toBeNull();
    expect(parseServerFrame('{not json')).toBeNull();
    expect(parseServerFrame('"pong"')).toBeNull();
    expect(parseServerFrame('null')).toBeNull();
    expect(parseServerFrame('{"type":5}')).toBeNull();
  });
});
