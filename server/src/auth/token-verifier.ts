import { Grants, GRANTS_CLAIM, UserId, type ErrorCode } from '@parley/protocol';
import { createRemoteJWKSet, decodeProtectedHeader, errors, importSPKI, jwtVerify, type CryptoKey, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { SignalConfig } from '../config/index.js';
import type { Clock } from '../time/clock.js';
import { GrantsInterner } from './grants-interner.js';

/** The error codes a token can fail with (INTERNAL: the JWKS endpoint could not be read). */
export type TokenErrorCode = Extract<
  ErrorCode,
  'TOKEN_MISSING' | 'TOKEN_MALFORMED' | 'TOKEN_EXPIRED' | 'TOKEN_NOT_YET_VALID' | 'TOKEN_BAD_SIGNATURE' | 'TOKEN_BAD_CLAIMS' | 'INTERNAL'
>;

export class TokenError extends Error {
  constructor(
    readonly code: TokenErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TokenError';
  }
}

export interface VerifiedToken {
  userId: string;
  /** Frozen and shared by every token with the same grants. */
  grants: Readonly<Grants>;
  /** Unix epoch seconds. */
  expiresAt: number;
}

export interface TokenVerifier {
  /** Resolves with the verified identity or rejects with a TokenError. */
  verify(token: string | undefined | null): Promise<VerifiedToken>;
}

type Candidate = { kid: string | undefined; key: CryptoKey | JWTVerifyGetKey };

interface KeySet {
  hs256: { kid: string | undefined; key: CryptoKey }[];
  asymmetric: { kid: string | undefined; alg: string; key: CryptoKey }[];
  jwks: JWTVerifyGetKey | undefined;
}

const JWKS_ALGS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);
const encoder = new TextEncoder();

/**
 * An HS256 secret as a WebCrypto key, imported once. Given the secret's bytes, jose imports them
 * again on every verification, which cost more than the verification itself and, with a
 * connection storm queued behind it, showed in the join latency (docs/benchmarks.md).
 */
function importHs256Secret(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
}

/**
 * Builds the verifier for the configured keys: HS256 secrets (with or without kid), SPKI public
 * keys per algorithm, and a remote JWKS. A token is checked against the keys that match its
 * header's `alg` (and `kid` when it has one); an algorithm with no configured key is refused as
 * malformed, so an HS256 token can never be checked against a public key (key confusion).
 */
export async function createTokenVerifier(auth: SignalConfig['auth'], clock: Clock): Promise<TokenVerifier> {
  const keys: KeySet = {
    hs256: await Promise.all([
      ...auth.hs256Secrets.map(async (secret) => ({ kid: undefined, key: await importHs256Secret(secret) })),
      ...auth.hs256Keys.map(async (entry) => ({ kid: entry.kid, key: await importHs256Secret(entry.secret) })),
    ]),
    asymmetric: await Promise.all(auth.publicKeys.map(async (entry) => ({ kid: entry.kid, alg: entry.alg, key: await importSPKI(entry.pem, entry.alg) }))),
    jwks: auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl), { cacheMaxAge: auth.jwksCacheSeconds * 1000, timeoutDuration: 5000 }) : undefined,
  };
  const grants = new GrantsInterner();
  return { verify: (token) => verifyToken(token, keys, auth, clock, grants) };
}

function candidatesFor(alg: string, kid: string | undefined, keys: KeySet): Candidate[] | null {
  const matchesKid = (keyKid: string | undefined) => kid === undefined || keyKid === undefined || keyKid === kid;
  if (alg === 'HS256') {
    if (keys.hs256.length === 0) return null;
    return keys.hs256.filter((entry) => matchesKid(entry.kid));
  }
  const local = keys.asymmetric.filter((entry) => entry.alg === alg);
  if (local.length === 0 && !(keys.jwks && JWKS_ALGS.has(alg))) return null;
  const candidates: Candidate[] = local.filter((entry) => matchesKid(entry.kid));
  if (keys.jwks && JWKS_ALGS.has(alg)) candidates.push({ kid, key: keys.jwks });
  return candidates;
}

async function verifyToken(token: string | undefined | null, keys: KeySet, auth: SignalConfig['auth'], clock: Clock, interner: GrantsInterner): Promise<VerifiedToken> {
  if (!token) throw new TokenError('TOKEN_MISSING', 'no access token');
  let header: { alg?: unknown; kid?: unknown };
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw new TokenError('TOKEN_MALFORMED', 'not a JWS compact token', { cause: error });
  }
  if (token.split('.').length !== 3) throw new TokenError('TOKEN_MALFORMED', 'not a JWS compact token');
  if (typeof header.alg !== 'string') throw new TokenError('TOKEN_MALFORMED', 'no alg in the header');
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const candidates = candidatesFor(header.alg, kid, keys);
  if (candidates === null) throw new TokenError('TOKEN_MALFORMED', `algorithm ${header.alg} is not accepted`);

  const options: JWTVerifyOptions = {
    algorithms: [header.alg],
    currentDate: new Date(clock.now()),
    clockTolerance: auth.leewaySeconds,
    requiredClaims: ['sub', 'exp'],
  };
  if (auth.audience) options.audience = auth.audience;
  if (auth.issuer) options.issuer = auth.issuer;

  for (const candidate of candidates) {
    let payload: JWTPayload;
    try {
      // jose takes either a key or a key resolver; the union is split only for the type checker.
      payload =
        typeof candidate.key === 'function'
          ? (await jwtVerify(token, candidate.key, options)).payload
          : (await jwtVerify(token, candidate.key, options)).payload;
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) continue;
      throw mapJoseError(error);
    }
    return toVerifiedToken(payload, auth.leewaySeconds, clock, interner);
  }
  throw new TokenError('TOKEN_BAD_SIGNATURE', 'the signature does not verify with any configured key');
}

function toVerifiedToken(payload: JWTPayload, leewaySeconds: number, clock: Clock, interner: GrantsInterner): VerifiedToken {
  // jose checks "iat" only against a maximum age; a token issued in the future is not valid yet.
  if (typeof payload.iat === 'number' && payload.iat > clock.now() / 1000 + leewaySeconds) {
    throw new TokenError('TOKEN_NOT_YET_VALID', 'iat is in the future');
  }
  const userId = UserId.safeParse(payload.sub);
  if (!userId.success) throw new TokenError('TOKEN_BAD_CLAIMS', 'sub is not a valid user id');
  const grants = Grants.safeParse(payload[GRANTS_CLAIM] ?? {});
  if (!grants.success) throw new TokenError('TOKEN_BAD_CLAIMS', `the ${GRANTS_CLAIM} claim is invalid`);
  return { userId: userId.data, grants: interner.intern(grants.data), expiresAt: payload.exp! };
}

function mapJoseError(error: unknown): TokenError {
  if (error instanceof errors.JWTExpired) return new TokenError('TOKEN_EXPIRED', 'the token has expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    if ((error.claim === 'nbf' || error.claim === 'iat') && error.reason === 'check_failed') {
      return new TokenError('TOKEN_NOT_YET_VALID', `${error.claim} is in the future`, { cause: error });
    }
    return new TokenError('TOKEN_BAD_CLAIMS', `claim ${error.claim} is ${error.reason === 'missing' ? 'missing' : 'invalid'}`, { cause: error });
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new TokenError('INTERNAL', 'the JWKS endpoint could not be read', { cause: error });
  }
  if (error instanceof errors.JOSEError) return new TokenError('TOKEN_MALFORMED', 'the token is malformed', { cause: error });
  // A JWKS fetch that failed at the network level surfaces as a plain Error.
  return new TokenError('INTERNAL', 'the token could not be checked', { cause: error });
}
