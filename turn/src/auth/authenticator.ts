import { parseTurnUsername, turnPassword } from '../credentials.js';
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

/** Keys derived per (username, password algorithm), so a client's later requests skip HMAC + MD5. */
const KEY_CACHE_ENTRIES = 10_000;

export class Authenticator {
  readonly nonces: NonceIssuer;
  /** username|algorithm → candidate keys, one per secret, in `secrets` order. */
  private readonly keyCache = new Map<string, Buffer[]>();

  constructor(private readonly options: AuthenticatorOptions) {
    this.nonces = new NonceIssuer(options.secrets, options.nonceLifetimeSeconds);
  }

  private candidateKeys(username: string, realm: string, passwordAlgorithm: number): Buffer[] {
    const cacheKey = `${passwordAlgorithm}|${username}`;
    let keys = this.keyCache.get(cacheKey);
    if (!keys) {
      keys = this.options.secrets.map((secret) => longTermKey(username, realm, turnPassword(secret, username), passwordAlgorithm));
      // Oldest entry out first: a bounded cache that any number of distinct usernames cannot grow.
      if (this.keyCache.size >= KEY_CACHE_ENTRIES) this.keyCache.delete(this.keyCache.keys().next().value!);
      this.keyCache.set(cacheKey, keys);
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
    const parsed = parseTurnUsername(username);
    if (parsed === null) return { ok: false, code: ERROR_UNAUTHENTICATED, reason: 'unknown_username' };
    if (realm !== this.options.realm) return { ok: false, code: ERROR_UNAUTHENTICATED, reason: 'wrong_realm' };

    // "Using the password associated with the username ... compute the value for the message
    // integrity ... If the resulting value does not match ... 401." Any rotation secret may match.
    let key: Buffer | null = null;
    let integrity: IntegrityAlgorithm | null = null;
    for (const candidate of this.candidateKeys(username, realm, passwordAlgorithm)) {
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
