import { RoomName, UserId } from '@parley/protocol';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { TokenMinter } from '../auth/index.js';
import { httpError, json, readJsonBody } from './responses.js';
import type { Route } from './types.js';

export const DevTokenRequest = z.strictObject({
  userId: UserId.optional(),
  room: RoomName,
  admin: z.boolean().optional(),
});

export const DevTokenResponse = z.object({ token: z.string(), expiresAt: z.number().int() });

/**
 * `POST /v1/dev/token` — development only (`dev.tokenEndpoint`): anyone may mint a token for a
 * room, which is what the reference client's lobby needs under `parley up`. Never enable it on a
 * server reachable by people you do not trust.
 */
export function devTokenRoute(mint: TokenMinter): Route {
  return {
    method: 'POST',
    pattern: '/v1/dev/token',
    group: 'dev',
    handler: async (request) => {
      const body = readJsonBody(request.body);
      if (!body.ok) return httpError('INVALID_REQUEST', 'the body is not JSON');
      const parsed = DevTokenRequest.safeParse(body.value);
      if (!parsed.success) return httpError('INVALID_REQUEST', parsed.error.issues[0]?.message);
      const { room, admin } = parsed.data;
      const userId = parsed.data.userId ?? `guest-${randomBytes(4).toString('hex')}`;
      const minted = await mint({ userId, rooms: [room], create: true, admin: admin ?? false, broadcast: true, direct: true });
      return json(200, minted);
    },
  };
}
