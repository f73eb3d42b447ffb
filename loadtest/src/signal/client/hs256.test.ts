import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Grants, GRANTS_CLAIM } from '@parley/protocol';
import { mintHs256Token } from './hs256.js';

describe('mintHs256Token', () => {
  it('signs header.payload with HMAC-SHA256 and carries sub, exp and Parley grants', () => {
    const secret = 's'.repeat(32);
    const token = mintHs256Token(secret, { userId: 'load-7', rooms: ['*'], ttlSeconds: 60, keyId: 'k1' }, 1_000);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(signature).toBe(createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url'));
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k1' });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'load-7', iat: 1_000, exp: 1_060 });
    expect(Grants.parse(claims[GRANTS_CLAIM])).toMatchObject({ rooms: ['*'], create: true });
  });
});
