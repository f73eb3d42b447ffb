import { parseTurnUsername, turnPassword, type ParsedTurnUsername } from '../credentials.js';
import { decodePasswordAlgorithm, decodePasswordAlgorithms, decodeText } from '../stun/attributes.js';
import {
  ATTR_NONCE,
  ATTR_PASSWORD_ALGORITHM,
  ATTR_PASSWORD_ALGORITHMS,
  ATTR_REALM,
  ATTR_USERNAME,
  ERROR_BAD_REQUEST,
  ERROR_STALE_NONCE,
  ERROR_UNAUTHENTICATED,
  PASSWORD_ALGORITHM_MD5,
  PASSWORD_ALGORITHM_SHA256,
} from '../stun/constants.js';
import { longTermKey, verifyIntegrity, type IntegrityAlgorithm } from '../stun/integrity.js';
import { getAttribute, type StunMessage } from '../stun/message.js';
import { NonceIssuer } from './nonce.js';
import type { RevocationList } from './revocations.js';

/**
 * Long-term credential checks (RFC 8489 §9.2.4) with coturn-style REST usernames: the password of
 * "<expiry>:<id>" is base64(HMAC-SHA1(secret, username)) under any configured secret.
 */

/** Password algorithms offered in PASSWORD-ALGORITHMS, in order of preference (§14.11). */
export const OFFERED_PASSWORD_ALGORITHMS = [PASSWORD_ALGORITHM_SHA256, PASSWORD_ALGORITHM_MD5];

/** `allocate-only` (coturn's behaviour): an expired REST username may still refresh what it allocated. `strict`: every request. */
export type ExpiryPolicy = 'allocate-only' | 'strict';

export type AuthFailureReason =
  | 'missing_integrity'
  | 'missing_attributes'
  | 'bad_password_algorithms'
  | 'unknown_username'
  | 'wrong_realm'
  | 'expired_credential'
  | 'revoked'
  | 'bad_integrity'
  | 'stale_nonce';

export const AUTH_FAILURE_REASONS: readonly AuthFailureReason[] = [
  'missing_integrity',
  'missing_attributes',
  'bad_password_algorithms',
  'unknown_username',
  'wrong_realm',
  'expired_credential',
  'revoked',
  'bad_integrity',
  'stale_nonce',
];

export interface Authenticated {
  ok: true;
  username: string;
  userId: string | null;
  room: string | null;
  sessionTag: string | null;
  credentialExpiresAtSeconds: number;
  /** The key and algorithm to sign the response with (§9.2.4: the one the request used). */
  key: Buffer;
  integrity: IntegrityAlgorithm;
}

export interface AuthRejected {
  ok: false;
  /** 400, 401 or 438. */
  code: number;
  reason: AuthFailureReason;
  /** For 438 on a request whose integrity verified: the key to sign the answer with (§9.2.4 allows it). */
  key?: Buffer;
  integrity?: IntegrityAlgorithm;
}

export interface AuthenticatorOptions {
  realm: string;
  secrets: readonly string[];
  nonceLifetimeSeconds: number;
  expiryPolicy: ExpiryPolicy;
  revocations: RevocationList;
}

/**
 * What a node remembers per REST username: the parsed fields and, per password algorithm, the
 * keys derived under each secret — so a username's later requests skip the parse, the HMAC of the
 * password and the MD5/SHA-256 of the key. Bounded (oldest out first), so no number of distinct
 * usernames grows it; only usernames that parse are kept.
 */
const CACHED_USERNAMES = 10_000;

interface KnownUsername {
  parsed: ParsedTurnUsername;
  /** Candidate keys, one per secret in `secrets` order, for MD5 and SHA-256 password algorithms. */
  md5Keys: Buffer[] | null;
  sha256Keys: Buffer[] | null;
}

export class Authenticator {
  readonly nonces: NonceIssuer;
  private readonly usernames = new Map<string, KnownUsername>();

  constructor(private readonly options: AuthenticatorOptions) {
    this.nonces = new NonceIssuer(options.secrets, options.nonceLifetimeSeconds);
  }

  /** The parsed username from the cache, or parsed now and remembered; null when it is not a REST username. */
  private known(username: string): KnownUsername | null {
    let entry = this.usernames.get(username);
    if (entry === undefined) {
      const parsed = parseTurnUsername(username);
      if (parsed === null) return null;
      entry = { parsed, md5Keys: null, sha256Keys: null };
      if (this.usernames.size >= CACHED_USERNAMES) this.usernames.delete(this.usernames.keys().next().value!);
      this.usernames.set(username, entry);
    }
    return entry;
  }

  /** Keys of `username` under every secret; `realm` is this server's (checked before). */
  private candidateKeys(entry: KnownUsername, username: string, realm: string, passwordAlgorithm: number): Buffer[] {
    const sha256 = passwordAlgorithm === PASSWORD_ALGORITHM_SHA256;
    let keys = sha256 ? entry.sha256Keys : entry.md5Keys;
    if (keys === null) {
      keys = this.options.secrets.map((secret) => longTermKey(username, realm, turnPassword(secret, username), passwordAlgorithm));
      if (sha256) entry.sha256Keys = keys;
      else entry.md5Keys = keys;
    }
    return keys;
  }

  get realm(): string {
    return this.options.realm;
  }

  /**
   * Checks a request. `isAllocate` selects the expiry rule of the `allocate-only` policy.
   * The order follows RFC 8489 §9.2.4.
   */
  authenticate(message: StunMessage, clientIp: string, nowMs: number, isAllocate: boolean): Authenticated | AuthRejected {
    // "If the message does not contain a MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256 attribute,
    // the server MUST generate an error response with an error code of 401 (Unauthenticated)."
    if (message.integrityOffset === -1 && message.integritySha256Offset === -1) {
      return { ok: false, code: ERROR_UNAUTHENTICATED, reason: 'missing_integrity' };
    }
    // "If the message contains a MESSAGE-INTEGRITY or a MESSAGE-INTEGRITY-SHA256 attribute, but
    // is missing either the USERNAME or USERHASH, REALM, or NONCE attribute, the server MUST
    // generate an error response with an error code of 400 (Bad Request)."
    const username = decodeText(getAttribute(message, ATTR_USERNAME), 513);
    const realm = decodeText(getAttribute(message, ATTR_REALM), 763);
    const nonce = decodeText(getAttribute(message, ATTR_NONCE), 763);
    if (username === null || realm === null || nonce === null) return { ok: false, code: ERROR_BAD_REQUEST, reason: 'missing_attributes' };

    // "If the NONCE attribute starts with the 'nonce cookie' with the STUN Security Feature
    // 'Password algorithms' bit set to 1 ... if the PASSWORD-ALGORITHMS attribute is present it
    // MUST match the list sent, and PASSWORD-ALGORITHM MUST name one of them; else 400."
    let passwordAlgorithm = PASSWORD_ALGORITHM_MD5;
    const algorithmsValue = getAttribute(message, ATTR_PASSWORD_ALGORITHMS);
    const algorithmValue = getAttribute(message, ATTR_PASSWORD_ALGORITHM);
    if (NonceIssuer.announcesPasswordAlgorithms(nonce) && (algorithmsValue || algorithmValue)) {
      const offered = decodePasswordAlgorithms(algorithmsValue);
      const chosen = decodePasswordAlgorithm(algorithmValue);
      const listMatches = offered !== null && offered.length === OFFERED_PASSWORD_ALGORITHMS.length && offered.every((value, index) => value === OFFERED_PASSWORD_ALGORITHMS[index]);
      if (!listMatches || chosen === null || !OFFERED_PASSWORD_ALGORITHMS.includes(chosen)) {
        return { ok: false, code: ERROR_BAD_REQUEST, reason: 'bad_password_algorithms' };
      }
      passwordAlgorithm = chosen;
    }

    // "If the value of the USERNAME or USERHASH attribute is not valid, the server MUST generate
    // an error response with an error code of 401 (Unauthenticated)."
    const known = this.known(username);
    if (known === null) return { ok: false, code: ERROR_UNAUTHENTICATED, reason: 'unknown_username' };
    const parsed = known.parsed;
    if (realm !== this.options.realm) return { ok: false, code: ERROR_UNAUTHENTICATED, reason: 'wrong_realm' };

    // "Using the password associated with the username ... compute the value for the message
    // integrity ... If the resulting value does not match ... 401." Any rotation secret may match.
    let key: Buffer | null = null;
    let integrity: IntegrityAlgorithm | null = null;
    for (const candidate of this.candidateKeys(known, username, realm, passwordAlgorithm)) {
      integrity = verifyIntegrity(message, candidate);
      if (integrity) {
        key = candidate;
        break;
      }
    }
    if (!key || !integrity) return { ok: false, code: ERROR_UNAUTHENTICATED, reason: 'bad_integrity' };

    // "If the NONCE is no longer valid, the server MUST generate an error response with an error
    // code of 438 (Stale Nonce)." The answer may be signed with the key just verified.
    if (this.nonces.check(nonce, clientIp, nowMs) !== 'valid') return { ok: false, code: ERROR_STALE_NONCE, reason: 'stale_nonce', key, integrity };

    const nowSeconds = nowMs / 1000;
    if ((isAllocate || this.options.expiryPolicy === 'strict') && parsed.expiresAt <= nowSeconds) {
      return { ok: false, code: ERROR_UNAUTHENTICATED, reason: 'expired_credential' };
    }
    if (this.options.revocations.isRevoked(username, parsed.userId, nowSeconds)) return { ok: false, code: ERROR_UNAUTHENTICATED, reason: 'revoked' };

    return {
      ok: true,
      username,
      userId: parsed.userId,
      room: parsed.room,
      sessionTag: parsed.sessionTag,
      credentialExpiresAtSeconds: parsed.expiresAt,
      key,
      integrity,
    };
  }
}
