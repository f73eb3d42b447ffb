import { mayJoin, TurnCredentialsRequest, type TurnCredentialsResponse } from '@parley/protocol';
import { randomBytes } from 'node:crypto';
import type { TokenVerifier, TurnIssuer } from '../auth/index.js';
import type { SignalMetrics } from '../observability/index.js';
import { authenticate } from './bearer.js';
import { httpError, json, readJsonBody } from './responses.js';
import type { Route } from './types.js';

/**
 * `POST /v1/turn/credentials` (Bearer JWT): a coturn REST credential and the iceServers to use
 * it with, optionally attributed to a room the token may join.
 */
export function turnCredentialsRoute(verifier: TokenVerifier, turn: TurnIssuer, metrics: SignalMetrics): Route {
  return {
    method: 'POST',
    pattern: '/v1/turn/credentials',
    group: 'turn',
    handler: async (request) => {
      const auth = await authenticate(request, verifier, metrics, { admin: false });
      if (!auth.ok) return auth.response;
      const body = readJsonBody(request.body);
      if (!body.ok) return httpError('INVALID_REQUEST', 'the body is not JSON');
      const parsed = TurnCredentialsRequest.safeParse(body.value);
      if (!parsed.success) return httpError('INVALID_REQUEST', parsed.error.issues[0]?.message);
      const { room, ttlSeconds } = parsed.data;
      if (room !== undefined && !mayJoin(auth.token.grants, room)) return httpError('FORBIDDEN', 'the token does not allow this room');
      if (!turn.enabled) return httpError('NOT_FOUND', 'no TURN secret is configured on this server');
      const issued = turn.issue({ userId: auth.token.userId, room, sessionTag: `h${randomBytes(6).toString('base64url')}` }, ttlSeconds);
      metrics.turnCredentials.labels('http').inc();
      const response: TurnCredentialsResponse = {
        iceServers: issued.iceServers,
        username: issued.username!,
        credential: issued.credential!,
        ttl: issued.ttlSeconds,
        expiresAt: issued.expiresAt,
      };
      return json(200, response);
    },
  };
}
