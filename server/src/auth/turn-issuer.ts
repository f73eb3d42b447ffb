import type { IceServer } from '@parley/protocol';
import { mintTurnCredential } from '@parley/turn/credentials';
import type { SignalConfig } from '../config/index.js';
import type { Clock } from '../time/clock.js';

export interface IssuedIceServers {
  iceServers: IceServer[];
  /** The TURN REST username, or null when no TURN secret is configured (STUN only). */
  username: string | null;
  credential: string | null;
  ttlSeconds: number;
  /** Unix epoch seconds; 0 when nothing expires (STUN only). */
  expiresAt: number;
}

export interface TurnIssuer {
  readonly enabled: boolean;
  issue(subject: { userId: string; room?: string | undefined; sessionTag: string }, ttlSeconds?: number): IssuedIceServers;
}

/**
 * Mints the `iceServers` handed to clients: every configured URI with one coturn REST credential
 * (signed with the first secret) when TURN secrets are configured, else the STUN URIs alone.
 */
export function createTurnIssuer(turn: SignalConfig['turn'], clock: Clock): TurnIssuer {
  const secret = turn.secrets[0];
  const stunUrls = turn.urls.filter((url) => url.startsWith('stun'));
  return {
    enabled: secret !== undefined,
    issue(subject, ttlSeconds) {
      if (secret === undefined) {
        return { iceServers: stunUrls.length > 0 ? [{ urls: stunUrls }] : [], username: null, credential: null, ttlSeconds: 0, expiresAt: 0 };
      }
      const ttl = Math.min(ttlSeconds ?? turn.credentialTtlSeconds, turn.credentialTtlSeconds);
      const minted = mintTurnCredential({ secret, ttlSeconds: ttl, nowSeconds: Math.floor(clock.now() / 1000), subject });
      const iceServers: IceServer[] = turn.urls.length > 0 ? [{ urls: [...turn.urls], username: minted.username, credential: minted.credential }] : [];
      return { iceServers, username: minted.username, credential: minted.credential, ttlSeconds: ttl, expiresAt: minted.expiresAt };
    },
  };
}
