import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { dashboardRuntime } from '../runtime/dashboard-runtime';
import { sealSession, unsealSession, type Session } from './seal';

/**
 * The login session as Next sees it: one httpOnly, SameSite=Strict cookie holding the sealed
 * admin token (see seal.ts). Cookies can be written only from server actions and route handlers.
 */
export const SESSION_COOKIE = 'parley_session';

export type SessionState = { state: 'none' } | { state: 'expired' } | { state: 'active'; session: Session };

export async function readSession(): Promise<SessionState> {
  const sealed = (await cookies()).get(SESSION_COOKIE)?.value;
  if (sealed === undefined || sealed === '') return { state: 'none' };
  const opened = unsealSession(sealed, dashboardRuntime().sessionKey, Date.now());
  if (opened.ok) return { state: 'active', session: opened.session };
  return opened.reason === 'expired' ? { state: 'expired' } : { state: 'none' };
}

/** The active session, or a redirect to the login page (saying why when it expired). */
export async function requireSession(): Promise<Session> {
  const current = await readSession();
  if (current.state === 'active') return current.session;
  redirect(current.state === 'expired' ? '/login?error=SESSION_EXPIRED' : '/login');
}

async function secureCookie(): Promise<boolean> {
  const setting = dashboardRuntime().config.session.secureCookie;
  if (setting !== 'auto') return setting === 'always';
  const proto = (await headers()).get('x-forwarded-proto') ?? '';
  return proto.split(',')[0]!.trim() === 'https';
}

export async function startSession(session: Session): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, sealSession(session, dashboardRuntime().sessionKey), {
    httpOnly: true,
    sameSite: 'strict',
    secure: await secureCookie(),
    path: '/',
    expires: new Date(session.expiresAtMs),
  });
}

export async function endSession(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}
