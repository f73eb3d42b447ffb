import { z } from 'zod';

/**
 * Identifiers that cross the wire. Branded so a room name cannot be passed where a peer id is
 * expected; the patterns keep them safe to print, to put in URLs and in TURN usernames.
 */

/** A room name: chosen by applications, so URL-safe and bounded. */
export const RoomName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._~:-]{0,127}$/, 'room names are 1-128 characters of A-Z a-z 0-9 . _ ~ : - and start with a letter or digit')
  .brand<'RoomName'>();
export type RoomName = z.infer<typeof RoomName>;

/** A peer id: minted by the server for each session and kept across resumes. */
export const PeerId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).brand<'PeerId'>();
export type PeerId = z.infer<typeof PeerId>;

/** A user id: the JWT "sub". Any printable text; control characters are refused. */
export const UserId = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'user ids contain no control characters')
  .brand<'UserId'>();
export type UserId = z.infer<typeof UserId>;

/** A request id chosen by the client and echoed in the answer. */
export const RequestId = z.union([z.string().max(64), z.number().int().safe()]);
export type RequestId = z.infer<typeof RequestId>;

/** Keys of the shared room state. */
export const StateKey = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/);
export type StateKey = z.infer<typeof StateKey>;
