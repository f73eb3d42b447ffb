'use server';

import { redirect } from 'next/navigation';
import { adminApiFor } from '../../admin-api/for-request';
import { isAdminApiError } from '../../admin-api/errors';
import { dashboardRuntime } from '../../runtime/dashboard-runtime';
import { MAX_SEALED_SESSION_CHARS } from '../../session/seal';
import { endSession, readSession, startSession } from '../../session/session';

export interface LoginState {
  code?: string;
}

/** The longest token accepted; beyond it the sealed cookie would outgrow browsers' limits. */
const MAX_TOKEN_CHARS = MAX_SEALED_SESSION_CHARS / 2;

/**
 * Checks the pasted admin token against the signal server (`whoami`), then keeps it in the sealed
 * session cookie. The session ends at the token's expiry or after the configured max age.
 */
export async function login(_previous: LoginState, form: FormData): Promise<LoginState> {
  const token = String(form.get('token') ?? '').trim();
  if (token === '') return { code: 'TOKEN_MISSING' };
  if (token.length > MAX_TOKEN_CHARS) return { code: 'TOKEN_MALFORMED' };
  const { config, logger } = dashboardRuntime();
  let whoami;
  try {
    whoami = await adminApiFor(token).whoami();
  } catch (error) {
    if (!isAdminApiError(error)) throw error;
    logger.info({ outcome: error.code }, 'admin login refused');
    return { code: error.code };
  }
  const expiresAtMs = Math.min(whoami.expiresAt * 1000, Date.now() + config.session.maxAgeSeconds * 1000);
  await startSession({ token, userId: whoami.userId, expiresAtMs });
  logger.info({ userId: whoami.userId, expiresAtMs }, 'admin login');
  redirect('/');
}

export async function logout(): Promise<void> {
  const current = await readSession();
  await endSession();
  if (current.state === 'active') dashboardRuntime().logger.info({ userId: current.session.userId }, 'admin logout');
  redirect('/login?loggedOut=1');
}
