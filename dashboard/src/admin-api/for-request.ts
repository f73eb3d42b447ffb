import 'server-only';
import { notFound, redirect } from 'next/navigation';
import { dashboardRuntime } from '../runtime/dashboard-runtime';
import { requireSession } from '../session/session';
import type { Session } from '../session/seal';
import { AdminApi } from './client';
import { isAdminApiError, type AdminApiFailureCode, type AdminApiFailureKind } from './errors';

/** What a page shows instead of its content when the admin API could not serve it. */
export interface PageFailure {
  kind: AdminApiFailureKind;
  code: AdminApiFailureCode;
  message: string;
  signalUrl: string;
}

export type PageLoad<T> = { ok: true; data: T; session: Session } | { ok: false; failure: PageFailure };

/**
 * The last failure code of a page load, so an outage is logged once when it starts and once
 * when it ends, not on every retry of every open page.
 */
let currentOutage: AdminApiFailureCode | undefined;

export function adminApiFor(token: string): AdminApi {
  const { config } = dashboardRuntime();
  return new AdminApi({ baseUrl: config.signal.url, token, requestTimeoutMs: config.signal.requestTimeoutMs });
}

/**
 * Loads a page's data with the session's token, and turns failures into what the page does:
 * 401/403 → login page with the code; 404 → the not-found page; no answer or a refusal → a
 * PageFailure the page renders as a banner with retry.
 */
export async function loadForPage<T>(load: (api: AdminApi) => Promise<T>): Promise<PageLoad<T>> {
  const session = await requireSession();
  const { config, logger } = dashboardRuntime();
  try {
    const data = await load(adminApiFor(session.token));
    if (currentOutage !== undefined) {
      logger.info({ code: currentOutage }, 'admin api answering again');
      currentOutage = undefined;
    }
    return { ok: true, data, session };
  } catch (error) {
    if (!isAdminApiError(error)) throw error;
    if (error.kind === 'unauthorized') redirect(`/login?error=${encodeURIComponent(error.code)}`);
    if (error.kind === 'not-found') notFound();
    if (currentOutage !== error.code) logger.warn({ code: error.code, kind: error.kind, status: error.status, signalUrl: config.signal.url }, 'admin api failed');
    else logger.debug({ code: error.code }, 'admin api still failing');
    currentOutage = error.code;
    return { ok: false, failure: { kind: error.kind, code: error.code, message: error.message, signalUrl: config.signal.url } };
  }
}

export type ActionResult = { ok: true; done: string } | { ok: false; code: AdminApiFailureCode; message: string };

/**
 * Runs one admin action (kick, close, create) for the logged-in user and logs it: the dashboard's
 * own audit line beside the signal server's. A refusal comes back with the server's code so the
 * page can show it; a rejected token sends the user to the login page.
 */
export async function runAdminAction(
  action: string,
  target: Record<string, string>,
  perform: (api: AdminApi) => Promise<void>,
  done: string,
): Promise<ActionResult> {
  const session = await requireSession();
  const { logger } = dashboardRuntime();
  try {
    await perform(adminApiFor(session.token));
    logger.info({ action, ...target, userId: session.userId, outcome: 'ok' }, 'admin action');
    return { ok: true, done };
  } catch (error) {
    if (!isAdminApiError(error)) throw error;
    logger.info({ action, ...target, userId: session.userId, outcome: error.code }, 'admin action');
    if (error.kind === 'unauthorized') redirect(`/login?error=${encodeURIComponent(error.code)}`);
    return { ok: false, code: error.code, message: error.message };
  }
}
