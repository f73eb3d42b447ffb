import { createHmac } from 'node:crypto';
import { GRANTS_CLAIM } from '@parley/protocol';

/** An HS256 JWT made by hand, for tokens the server's minter would never make (expired, foreign key). */
export function signHs256(secret: string, claims: { sub: string; exp: number; admin?: boolean }): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const payload = { sub: claims.sub, iat: Math.floor(Date.now() / 1000) - 60, exp: claims.exp, [GRANTS_CLAIM]: { admin: claims.admin ?? true, rooms: ['*'] } };
  const signingInput = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}
