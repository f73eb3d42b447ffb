import { CLIENT_ERRORS } from '@parley/sdk';
import { describe, expect, it } from 'vitest';
import { messageFor, roomClosedMessage } from './messages.js';

describe('messageFor', () => {
  it('has a specific message for every case the lobby must explain', () => {
    const generic = messageFor('SOMETHING_NEW').title;
    for (const code of ['TOKEN_MALFORMED', 'TOKEN_BAD_SIGNATURE', 'TOKEN_EXPIRED', 'ROOM_FULL', 'ROOM_CLOSED', 'TURN_UNREACHABLE', 'TURN_NOT_CONFIGURED', 'CONNECTION_FAILED', 'TOKEN_MISSING']) {
      expect(messageFor(code).title).not.toBe(generic);
    }
  });

  it('tells an expired token apart from an invalid one', () => {
    expect(messageFor('TOKEN_EXPIRED').title).not.toBe(messageFor('TOKEN_MALFORMED').title);
  });

  it('falls back to a generic message that names the unknown code', () => {
    expect(messageFor('BRAND_NEW_CODE').detail).toContain('BRAND_NEW_CODE');
  });

  it('covers every client-side file and media code', () => {
    const generic = messageFor('X').title;
    for (const code of ['FILE_CORRUPTED', 'FILE_TRUNCATED', 'FILE_TOO_LARGE', 'MEDIA_DENIED', 'MEDIA_UNAVAILABLE'] as const) {
      expect(CLIENT_ERRORS[code]).toBeDefined();
      expect(messageFor(code).title).not.toBe(generic);
    }
  });
});

describe('roomClosedMessage', () => {
  it('explains an administrator closing the room differently from running out of time', () => {
    expect(roomClosedMessage('admin').detail).not.toBe(roomClosedMessage('max_duration').detail);
  });
});
