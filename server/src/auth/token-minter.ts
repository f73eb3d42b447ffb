import { GRANTS_CLAIM, type Grants } from '@parley/protocol';
import { SignJWT } from 'jose';
import type { SignalConfig } from '../config/index.js';
import type { Clock } from '../time/clock.js';

export interface MintTokenOptions {
  userId: string;
  /** Rooms the token may join: names or "*". */
  rooms?: string[];
  create?: boolean;
  admin?: boolean;
  broadcast?: boolean;
  direct?: boolean;
  maxConnections?: number;
  /** Lifetime; defaults to auth.defaultTokenTtlSeconds. */
  ttlSeconds?: number;
}

export interface MintedToken {
  token: string;
  /** Unix epoch seconds. */
  expiresAt: number;
}

export type TokenMinter = (options: MintTokenOptions) => Promise<MintedToken>;

/** The key that signs tokens minted here: the first HS256 secret (a kid-less one first). */
export function signingKeyOf(auth: SignalConfig['auth']): { kid: string | undefined; secret: string } | undefined {
  const plain = auth.hs256Secrets[0];
  if (plain !== undefined) return { kid: undefined, secret: plain };
  const keyed = auth.hs256Keys[0];
  return keyed ? { kid: keyed.kid, secret: keyed.secret } : undefined;
}

/** Mints HS256 access tokens carrying Parley grants, as `parley token` and the dev endpoint do. */
export function createTokenMinter(auth: SignalConfig['auth'], clock: Clock): TokenMinter | undefined {
  const signingKey = signingKeyOf(auth);
  if (!signingKey) return undefined;
  const key = new TextEncoder().encode(signingKey.secret);
  return async (options) => {
    const issuedAt = Math.floor(clock.now() / 1000);
    const expiresAt = issuedAt + (options.ttlSeconds ?? auth.defaultTokenTtlSeconds);
    const grants: Partial<Grants> = {
      rooms: options.rooms ?? [],
      create: options.create ?? false,
      admin: options.admin ?? false,
      broadcast: options.broadcast ?? true,
      direct: options.direct ?? false,
    };
    if (options.maxConnections !== undefined) grants.maxConnections = options.maxConnections;
    const jwt = new SignJWT({ [GRANTS_CLAIM]: grants })
      .setProtectedHeader(signingKey.kid ? { alg: 'HS256', typ: 'JWT', kid: signingKey.kid } : { alg: 'HS256', typ: 'JWT' })
      .setSubject(options.userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt);
    if (auth.audience) jwt.setAudience(auth.audience);
    if (auth.issuer) jwt.setIssuer(auth.issuer);
    return { token: await jwt.sign(key), expiresAt };
  };
}
