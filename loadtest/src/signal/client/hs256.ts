import { createHmac } from 'node:crypto';

/**
 * Mints HS256 access tokens for load-test users with node:crypto alone, so the generator can make
 * ten thousand of them quickly and works against any Parley deployment whose HS256 secret it is
 * given (the broker under test may run in another process or on another machine).
 * Claims follow DESIGN §2: `sub`, `exp`, and the grants in the `parley` claim.
 */
export interface LoadTokenClaims {
  userId: string;
  rooms: string[];
  create?: boolean;
  ttlSeconds?: number;
  audience?: string;
  issuer?: string;
  keyId?: string;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

export function mintHs256Token(secret: string, claims: LoadTokenClaims, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', ...(claims.keyId ? { kid: claims.keyId } : {}) }));
  const payload = base64url(
    JSON.stringify({
      sub: claims.userId,
      iat: nowSeconds,
      exp: nowSeconds + (claims.ttlSeconds ?? 3_600),
      ...(claims.audience ? { aud: claims.audience } : {}),
      ...(claims.issuer ? { iss: claims.issuer } : {}),
      parley: { rooms: claims.rooms, create: claims.create ?? true },
    }),
  );
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
