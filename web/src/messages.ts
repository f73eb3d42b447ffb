import type { ParleyErrorCode } from '@parley/sdk';

/**
 * What the reference client tells people when something goes wrong, chosen by error code (the
 * SDK's and the server's stable codes), never by parsing message text.
 */
export interface UserMessage {
  title: string;
  detail: string;
  /** Whether going back to the lobby and trying again may help. */
  canRetry: boolean;
}

const MESSAGES: Partial<Record<ParleyErrorCode, UserMessage>> = {
  TOKEN_MISSING: { title: 'An access token is needed', detail: 'This server does not hand out tokens. Paste a token from your app, or open a link that carries one.', canRetry: true },
  TOKEN_MALFORMED: { title: 'Invalid access token', detail: 'The token is not a valid Parley token. Check that it was copied completely.', canRetry: true },
  TOKEN_BAD_SIGNATURE: { title: 'Invalid access token', detail: 'The token was not issued for this server.', canRetry: true },
  TOKEN_BAD_CLAIMS: { title: 'Invalid access token', detail: 'The token is missing something this server requires (user, expiry or audience).', canRetry: true },
  TOKEN_NOT_YET_VALID: { title: 'Token not valid yet', detail: 'The token starts in the future. Check the clock of the machine that issued it.', canRetry: true },
  TOKEN_EXPIRED: { title: 'Your access token has expired', detail: 'Get a new link or token and join again.', canRetry: true },
  FORBIDDEN: { title: 'Not allowed', detail: 'Your token does not allow joining this room.', canRetry: true },
  ROOM_FULL: { title: 'This room is full', detail: 'The room has reached its maximum number of participants. Try again when someone leaves.', canRetry: true },
  ROOM_CLOSED: { title: 'This room is closed', detail: 'The room has ended and accepts no more participants.', canRetry: true },
  ROOM_NOT_FOUND: { title: 'No such room', detail: 'The room does not exist and your token may not create it.', canRetry: true },
  KICKED: { title: 'You were removed from the call', detail: 'An administrator removed you from this room.', canRetry: false },
  SESSION_REPLACED: { title: 'Opened somewhere else', detail: 'This session continued in another tab or device.', canRetry: true },
  TOO_MANY_CONNECTIONS: { title: 'Too many connections', detail: 'You are connected from too many tabs or devices. Close one and try again.', canRetry: true },
  RATE_LIMITED: { title: 'Slow down', detail: 'Too many messages in a short time; some were dropped.', canRetry: true },
  DRAINING: { title: 'Server restarting', detail: 'The server is restarting; reconnecting…', canRetry: true },
  CONNECTION_FAILED: { title: 'Cannot reach the server', detail: 'The signal server did not answer. Check the address and your network.', canRetry: true },
  CONNECTION_LOST: { title: 'Connection lost', detail: 'The connection to the server dropped and could not be restored.', canRetry: true },
  TURN_UNREACHABLE: {
    title: 'Media relay unreachable',
    detail: 'The TURN relay could not be reached, so calls through restrictive networks (or relay-only calls) cannot connect. Check that its UDP/TCP ports are open.',
    canRetry: true,
  },
  TURN_NOT_CONFIGURED: {
    title: 'No media relay on this server',
    detail: 'Relay only was chosen, but this server has no TURN relay configured, so the call cannot connect. Join again without "Relay only".',
    canRetry: true,
  },
  ICE_FAILED: { title: 'Connection to a participant failed', detail: 'Media could not get through, even after retrying. The relay may be unreachable from one side.', canRetry: true },
  MEDIA_DENIED: { title: 'Camera and microphone blocked', detail: 'Allow access in the browser, or join without camera.', canRetry: true },
  MEDIA_UNAVAILABLE: { title: 'No camera or microphone', detail: 'None was found, or it is in use by another application. You can join without camera.', canRetry: true },
  FILE_CORRUPTED: { title: 'File damaged in transit', detail: 'The received file did not match its checksum and was discarded.', canRetry: true },
  FILE_TRUNCATED: { title: 'File transfer interrupted', detail: 'The transfer stopped before the whole file arrived; nothing was saved.', canRetry: true },
  FILE_TOO_LARGE: { title: 'File too large', detail: 'The receiver does not accept files this large.', canRetry: false },
};

const FALLBACK: UserMessage = { title: 'Something went wrong', detail: 'An unexpected error occurred.', canRetry: true };

export function messageFor(code: ParleyErrorCode | string): UserMessage {
  return MESSAGES[code as ParleyErrorCode] ?? { ...FALLBACK, detail: `${FALLBACK.detail} (${code})` };
}

/** Why a room ended, told to the people in it. */
export function roomClosedMessage(reason: string): UserMessage {
  switch (reason) {
    case 'admin':
      return { title: 'This room was closed', detail: 'An administrator closed the room.', canRetry: true };
    case 'max_duration':
      return { title: 'Time is up', detail: 'The room reached its maximum duration and was closed.', canRetry: true };
    case 'drain':
      return { title: 'Server shutting down', detail: 'The server closed the room while shutting down.', canRetry: true };
    default:
      return { title: 'This room was closed', detail: 'The room has ended.', canRetry: true };
  }
}
