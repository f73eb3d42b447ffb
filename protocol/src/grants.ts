import { z } from 'zod';

/**
 * The `parley` claim of an access token: what its holder may do. Absent fields take the
 * restrictive default, so a token grants only what it names.
 */
export const Grants = z.strictObject({
  /** Rooms the holder may join: exact names, or "*" for any. */
  rooms: z.array(z.string().min(1).max(128)).max(100).default([]),
  /** May create a room by joining one that does not exist yet. */
  create: z.boolean().default(false),
  /** May call the admin API. */
  admin: z.boolean().default(false),
  /** May send `room.broadcast` and `room.state.set`. */
  broadcast: z.boolean().default(true),
  /** May send user-addressed `direct` messages. */
  direct: z.boolean().default(false),
  /** Caps this user's simultaneous connections below the server-wide limit. */
  maxConnections: z.number().int().min(1).max(1000).optional(),
});
export type Grants = z.infer<typeof Grants>;

/** Name of the JWT claim that carries the grants. */
export const GRANTS_CLAIM = 'parley';

export function mayJoin(grants: Grants, room: string): boolean {
  return grants.rooms.includes('*') || grants.rooms.includes(room);
}
