import { CLIENT_MESSAGE_SCHEMAS, type ClientMessageOf, type ClientMessageType } from '@parley/protocol';

/**
 * Validators of client messages, one per type, equivalent to the protocol's zod schemas (a
 * property test holds them to that). The frequent types (signal, broadcast, state, direct,
 * ping, leave) are checked by hand: a handful of typeof checks and two regexes instead of a zod
 * parse per message. The rare, deeply nested ones (join with metadata, stats reports) use zod.
 *
 * A validator returns null when the message is valid, or a short reason (never shown to users'
 * peers, only echoed to the sender in the INVALID_MESSAGE error).
 */
export type Validator = (message: Record<string, unknown>) => string | null;

const ROOM_NAME = /^[A-Za-z0-9][A-Za-z0-9._~:-]{0,127}$/;
const PEER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const STATE_KEY = /^[A-Za-z0-9._:-]{1,64}$/;
const USER_ID_FORBIDDEN = /[\u0000-\u001f\u007f]/;

/** True when `value` is a valid request id: a string of at most 64 UTF-16 units or a safe integer. */
export function isRequestId(value: unknown): value is string | number {
  return (typeof value === 'string' && value.length <= 64) || (typeof value === 'number' && Number.isSafeInteger(value));
}

function onlyKeys(message: Record<string, unknown>, allowed: ReadonlySet<string>): string | null {
  for (const key in message) if (!allowed.has(key)) return `unknown field "${key}"`;
  return null;
}

function checkRid(message: Record<string, unknown>): string | null {
  const rid = message.rid;
  return rid === undefined || isRequestId(rid) ? null : 'rid must be a string (≤64) or a safe integer';
}

function checkRoom(value: unknown): string | null {
  return typeof value === 'string' && ROOM_NAME.test(value) ? null : 'room must be a valid room name';
}

function keys(...names: string[]): ReadonlySet<string> {
  return new Set(['type', 'rid', ...names]);
}

const SIGNAL_KEYS = keys('room', 'to', 'payload');
const BROADCAST_KEYS = keys('room', 'data');
const STATE_KEYS = keys('room', 'key', 'value');
const DIRECT_KEYS = keys('toUser', 'data');
const LEAVE_KEYS = keys('room');
const PING_KEYS = keys();

const signal: Validator = (m) =>
  onlyKeys(m, SIGNAL_KEYS) ??
  checkRid(m) ??
  checkRoom(m.room) ??
  (typeof m.to === 'string' && PEER_ID.test(m.to) ? null : 'to must be a peer id') ??
  (m.payload !== undefined ? null : 'payload is required');

const broadcast: Validator = (m) =>
  onlyKeys(m, BROADCAST_KEYS) ?? checkRid(m) ?? checkRoom(m.room) ?? (m.data !== undefined ? null : 'data is required');

const stateSet: Validator = (m) =>
  onlyKeys(m, STATE_KEYS) ??
  checkRid(m) ??
  checkRoom(m.room) ??
  (typeof m.key === 'string' && STATE_KEY.test(m.key) ? null : 'key must be 1-64 characters of A-Z a-z 0-9 . _ : -') ??
  (m.value !== undefined ? null : 'value is required');

const direct: Validator = (m) =>
  onlyKeys(m, DIRECT_KEYS) ??
  checkRid(m) ??
  (typeof m.toUser === 'string' && m.toUser.length >= 1 && m.toUser.length <= 256 && !USER_ID_FORBIDDEN.test(m.toUser)
    ? null
    : 'toUser must be a user id') ??
  (m.data !== undefined ? null : 'data is required');

const leave: Validator = (m) => onlyKeys(m, LEAVE_KEYS) ?? checkRid(m) ?? checkRoom(m.room);

const ping: Validator = (m) => onlyKeys(m, PING_KEYS) ?? checkRid(m);

function zodValidator(type: ClientMessageType): Validator {
  const schema = CLIENT_MESSAGE_SCHEMAS[type];
  return (message) => {
    const result = schema.safeParse(message);
    if (result.success) return null;
    const issue = result.error.issues[0];
    return issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid';
  };
}

export const VALIDATORS: { readonly [T in ClientMessageType]: Validator } = {
  'room.join': zodValidator('room.join'),
  'room.leave': leave,
  signal,
  'room.broadcast': broadcast,
  'room.state.set': stateSet,
  direct,
  stats: zodValidator('stats'),
  ping,
};

/** Narrowing helper for handlers: a validated message of type T. */
export type Validated<T extends ClientMessageType> = ClientMessageOf<T>;
