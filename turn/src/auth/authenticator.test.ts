import { describe, expect, it } from 'vitest';
import { turnPassword } from '../credentials.js';
import { encodePasswordAlgorithm, encodePasswordAlgorithms, encodeText } from '../stun/attributes.js';
import {
  ATTR_NONCE,
  ATTR_PASSWORD_ALGORITHM,
  ATTR_PASSWORD_ALGORITHMS,
  ATTR_REALM,
  ATTR_USERNAME,
  CLASS_REQUEST,
  METHOD_REFRESH,
  PASSWORD_ALGORITHM_MD5,
  PASSWORD_ALGORITHM_SHA256,
} from '../stun/constants.js';
import { encodeStunMessage, type StunAttributeInput } from '../stun/encode.js';
import { longTermKey, type IntegrityAlgorithm } from '../stun/integrity.js';
import { decodeStunMessage } from '../stun/message.js';
import { Authenticator, OFFERED_PASSWORD_ALGORITHMS, type ExpiryPolicy } from './authenticator.js';
import { RevocationList } from './revocations.js';

const REALM = 'parley';
const SECRET = 'unit-secret';
const NOW_MS = 1_700_000_000_000;
const CLIENT = '198.51.100.7';

function authenticator(policy: ExpiryPolicy = 'allocate-only', revocations = new RevocationList()) {
  return new Authenticator({ realm: REALM, secrets: ['rotated-out', SECRET], nonceLifetimeSeconds: 600, expiryPolicy: policy, revocations });
}

function request(
  auth: Authenticator,
  options: { username: string; password?: string; nonce?: string; realm?: string; integrity?: IntegrityAlgorithm; passwordAlgorithm?: number; offered?: number[]; omit?: number; sign?: boolean },
) {
  const passwordAlgorithm = options.passwordAlgorithm ?? PASSWORD_ALGORITHM_MD5;
  const password = options.password ?? turnPassword(SECRET, options.username);
  const realm = options.realm ?? REALM;
  const attributes: StunAttributeInput[] = [
    { type: ATTR_USERNAME, value: encodeText(options.username) },
    { type: ATTR_REALM, value: encodeText(realm) },
    { type: ATTR_NONCE, value: encodeText(options.nonce ?? auth.nonces.mint(CLIENT, NOW_MS)) },
  ];
  if (options.passwordAlgorithm !== undefined) {
    attributes.push({ type: ATTR_PASSWORD_ALGORITHMS, value: encodePasswordAlgorithms(options.offered ?? OFFERED_PASSWORD_ALGORITHMS) });
    attributes.push({ type: ATTR_PASSWORD_ALGORITHM, value: encodePasswordAlgorithm(passwordAlgorithm) });
  }
  const bytes = encodeStunMessage(
    { method: METHOD_REFRESH, cls: CLASS_REQUEST, transactionId: Buffer.alloc(12, 3), attributes: attributes.filter((attribute) => attribute.type !== options.omit) },
    options.sign === false ? {} : { integrity: { key: longTermKey(options.username, realm, password, passwordAlgorithm), algorithm: options.integrity ?? 'sha1' } },
  );
  const decoded = decodeStunMessage(bytes);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.message;
}

const future = `${NOW_MS / 1000 + 600}:dXNlcg.cm9vbQ.tag1`;
const past = `${NOW_MS / 1000 - 1}:dXNlcg.cm9vbQ.tag1`;

describe('long-term REST credential checks', () => {
  it('accepts a REST username signed under any rotation secret and attributes it to user and room', () => {
    const auth = authenticator();
    const result = auth.authenticate(request(auth, { username: future }), CLIENT, NOW_MS, true);
    expect(result).toMatchObject({ ok: true, userId: 'user', room: 'room', integrity: 'sha1' });
  });

  it('answers 401 without MESSAGE-INTEGRITY and 400 when USERNAME, REALM or NONCE is missing', () => {
    const auth = authenticator();
    expect(auth.authenticate(request(auth, { username: future, sign: false }), CLIENT, NOW_MS, true)).toMatchObject({ ok: false, code: 401, reason: 'missing_integrity' });
    for (const omit of [ATTR_USERNAME, ATTR_REALM, ATTR_NONCE]) {
      expect(auth.authenticate(request(auth, { username: future, omit }), CLIENT, NOW_MS, true)).toMatchObject({ ok: false, code: 400, reason: 'missing_attributes' });
    }
  });

  it('answers 401 for a username without the REST expiry prefix, a wrong realm, or a wrong password', () => {
    const auth = authenticator();
    expect(auth.authenticate(request(auth, { username: 'alice' }), CLIENT, NOW_MS, true)).toMatchObject({ code: 401, reason: 'unknown_username' });
    expect(auth.authenticate(request(auth, { username: future, realm: 'other' }), CLIENT, NOW_MS, true)).toMatchObject({ code: 401, reason: 'wrong_realm' });
    expect(auth.authenticate(request(auth, { username: future, password: 'guess' }), CLIENT, NOW_MS, true)).toMatchObject({ code: 401, reason: 'bad_integrity' });
  });

  it('answers 438 for an expired nonce and signs that answer with the verified key', () => {
    const auth = authenticator();
    const message = request(auth, { username: future, nonce: auth.nonces.mint(CLIENT, NOW_MS - 700_000) });
    const result = auth.authenticate(message, CLIENT, NOW_MS, false);
    expect(result).toMatchObject({ ok: false, code: 438, reason: 'stale_nonce', integrity: 'sha1' });
  });

  it('under allocate-only refuses an expired username only for Allocate; under strict for every request', () => {
    const lenient = authenticator('allocate-only');
    expect(lenient.authenticate(request(lenient, { username: past }), CLIENT, NOW_MS, true)).toMatchObject({ code: 401, reason: 'expired_credential' });
    expect(lenient.authenticate(request(lenient, { username: past }), CLIENT, NOW_MS, false)).toMatchObject({ ok: true });
    const strict = authenticator('strict');
    expect(strict.authenticate(request(strict, { username: past }), CLIENT, NOW_MS, false)).toMatchObject({ code: 401, reason: 'expired_credential' });
  });

  it('refuses a revoked user and a revoked username until the revocation lapses', () => {
    const revocations = new RevocationList();
    const auth = authenticator('allocate-only', revocations);
    revocations.add({ userId: 'user', untilSeconds: NOW_MS / 1000 + 60 }, NOW_MS / 1000);
    expect(auth.authenticate(request(auth, { username: future }), CLIENT, NOW_MS, true)).toMatchObject({ code: 401, reason: 'revoked' });
    expect(auth.authenticate(request(auth, { username: future }), CLIENT, NOW_MS + 61_000, false)).toMatchObject({ ok: true });
    const other = `${NOW_MS / 1000 + 600}:someone-else`;
    revocations.add({ username: other, untilSeconds: NOW_MS / 1000 + 60 }, NOW_MS / 1000);
    expect(auth.authenticate(request(auth, { username: other }), CLIENT, NOW_MS, true)).toMatchObject({ code: 401, reason: 'revoked' });
  });

  it('verifies MESSAGE-INTEGRITY-SHA256 with PASSWORD-ALGORITHM SHA-256 (RFC 8489 §9.2)', () => {
    const auth = authenticator();
    const message = request(auth, { username: future, integrity: 'sha256', passwordAlgorithm: PASSWORD_ALGORITHM_SHA256 });
    expect(auth.authenticate(message, CLIENT, NOW_MS, true)).toMatchObject({ ok: true, integrity: 'sha256' });
  });

  it('answers 400 when PASSWORD-ALGORITHMS differs from what the server offered', () => {
    const auth = authenticator();
    const message = request(auth, { username: future, passwordAlgorithm: PASSWORD_ALGORITHM_SHA256, offered: [PASSWORD_ALGORITHM_SHA256] });
    expect(auth.authenticate(message, CLIENT, NOW_MS, true)).toMatchObject({ ok: false, code: 400, reason: 'bad_password_algorithms' });
  });

  it('gives a remembered username the same answers as a new one: wrong password, other algorithm, expiry and revocation still apply', () => {
    const revocations = new RevocationList();
    const auth = authenticator('allocate-only', revocations);
    const soon = `${NOW_MS / 1000 + 5}:dXNlcg.cm9vbQ.tag2`;
    // First use puts the username in the cache with its MD5 keys.
    expect(auth.authenticate(request(auth, { username: soon }), CLIENT, NOW_MS, true)).toMatchObject({ ok: true, userId: 'user', room: 'room' });
    expect(auth.authenticate(request(auth, { username: soon, password: 'guess' }), CLIENT, NOW_MS, true)).toMatchObject({ code: 401, reason: 'bad_integrity' });
    expect(auth.authenticate(request(auth, { username: soon, password: turnPassword('unknown-secret', soon) }), CLIENT, NOW_MS, false)).toMatchObject({ code: 401, reason: 'bad_integrity' });
    // SHA-256 keys are derived separately from the MD5 ones of the same username; both keep working.
    const sha256 = request(auth, { username: soon, integrity: 'sha256', passwordAlgorithm: PASSWORD_ALGORITHM_SHA256 });
    expect(auth.authenticate(sha256, CLIENT, NOW_MS, true)).toMatchObject({ ok: true, integrity: 'sha256' });
    expect(auth.authenticate(request(auth, { username: soon, passwordAlgorithm: PASSWORD_ALGORITHM_MD5 }), CLIENT, NOW_MS, true)).toMatchObject({ ok: true, integrity: 'sha1' });
    const sha256WithWrongPassword = request(auth, { username: soon, password: 'guess', integrity: 'sha256', passwordAlgorithm: PASSWORD_ALGORITHM_SHA256 });
    expect(auth.authenticate(sha256WithWrongPassword, CLIENT, NOW_MS, true)).toMatchObject({ code: 401, reason: 'bad_integrity' });
    // The cached expiry is still compared with the clock of each request.
    expect(auth.authenticate(request(auth, { username: soon }), CLIENT, NOW_MS + 6_000, true)).toMatchObject({ code: 401, reason: 'expired_credential' });
    revocations.add({ userId: 'user', untilSeconds: NOW_MS / 1000 + 60 }, NOW_MS / 1000);
    expect(auth.authenticate(request(auth, { username: soon }), CLIENT, NOW_MS, false)).toMatchObject({ code: 401, reason: 'revoked' });
    // A username that does not parse is refused every time (and never remembered as valid).
    for (let i = 0; i < 2; i++) expect(auth.authenticate(request(auth, { username: 'not-rest' }), CLIENT, NOW_MS, true)).toMatchObject({ code: 401, reason: 'unknown_username' });
  });
});
