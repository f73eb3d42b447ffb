import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, loginErrorFor, newPage } from './support/browser';
import { signHs256 } from './support/jwt';
import { keepScreenshot } from './support/screenshots';
import { startStack, type Stack } from './support/stack';

/**
 * How the dashboard fails, in Chromium against the real signal server: bad tokens at the login,
 * a session whose token runs out, and the signal server going away and coming back.
 */
describe('admin dashboard failure cases', () => {
  let stack: Stack;
  let page: Page;
  const POLL = { timeout: 30_000, interval: 250 };
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    stack = await startStack();
    page = await newPage(stack.chromium.context);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses a token that is not a JWT with TOKEN_MALFORMED', async () => {
    expect(await loginErrorFor(page, stack.dashboard.url, 'this is not a token')).toBe('TOKEN_MALFORMED');
    await keepScreenshot(page, 'login-error');
  });

  it('refuses a token signed with another key with TOKEN_BAD_SIGNATURE', async () => {
    const forged = signHs256(randomBytes(32).toString('base64url'), { sub: 'mallory', exp: nowSeconds() + 600 });
    expect(await loginErrorFor(page, stack.dashboard.url, forged)).toBe('TOKEN_BAD_SIGNATURE');
  });

  it('refuses an expired admin token with TOKEN_EXPIRED', async () => {
    const expired = signHs256(stack.jwtSecret, { sub: 'ops@example.com', exp: nowSeconds() - 3600 });
    expect(await loginErrorFor(page, stack.dashboard.url, expired)).toBe('TOKEN_EXPIRED');
  });

  it('refuses a valid token without the admin grant with FORBIDDEN', async () => {
    const user = await stack.signal.mintToken({ userId: 'alice', rooms: ['*'], create: true });
    expect(await loginErrorFor(page, stack.dashboard.url, user)).toBe('FORBIDDEN');
  });

  it('ends the session when the admin token expires, back to the login page by itself', async () => {
    const shortLived = signHs256(stack.jwtSecret, { sub: 'ops@example.com', exp: nowSeconds() + 4 });
    await logIn(page, stack.dashboard.url, shortLived);
    const cookie = (await stack.chromium.context.cookies(stack.dashboard.url)).find((candidate) => candidate.name === 'parley_session');
    expect(cookie!.expires).toBeLessThanOrEqual(nowSeconds() + 5);
    // No navigation: the live page notices and re-renders into the login page.
    await expect.poll(() => new URL(page.url()).pathname, POLL).toBe('/login');
  });

  it('shows a banner with retry while the signal server is unreachable, and recovers when it is back', async () => {
    const admin = await stack.signal.mintToken({ userId: 'ops@example.com', rooms: ['*'], admin: true });
    await logIn(page, stack.dashboard.url, admin);
    await stack.signalLink.cut();

    for (const path of ['/rooms', '/', '/turn', '/cluster']) {
      await page.goto(`${stack.dashboard.url}${path}`);
      const banner = page.locator('[data-testid=failure-banner]');
      await banner.waitFor();
      expect(await banner.getAttribute('data-code')).toBe('SIGNAL_UNREACHABLE');
      expect(await banner.textContent()).toContain(stack.signalLink.url);
      // The rest of the dashboard is still there: navigation, session, logout.
      expect(await page.textContent('[data-testid=session-user]')).toBe('ops@example.com');
    }
    await page.goto(`${stack.dashboard.url}/rooms`);
    await keepScreenshot(page, 'signal-unreachable');

    await stack.signalLink.restore();
    // The banner retries by itself: the rooms table comes back without any click.
    await page.locator('[data-testid=rooms-table]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=failure-banner]').count()).toBe(0);
    expect(await page.textContent('[data-testid=session-user]')).toBe('ops@example.com');
    // The outage is logged when it starts and when it ends, not on every retry.
    const outageLines = stack.dashboard.logs.filter((line) => line.msg === 'admin api failed');
    expect(outageLines).toEqual([expect.objectContaining({ code: 'SIGNAL_UNREACHABLE', signalUrl: stack.signalLink.url })]);
    await expect.poll(() => stack.dashboard.logs.some((line) => line.msg === 'admin api answering again'), POLL).toBe(true);
  });

  it('answers the live event stream with 401 and a code when there is no session', async () => {
    const response = await fetch(`${stack.dashboard.url}/api/events`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'TOKEN_MISSING' } });
  });

  it('ignores a forged session cookie', async () => {
    const response = await fetch(`${stack.dashboard.url}/rooms`, { headers: { cookie: 'parley_session=AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, redirect: 'manual' });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toMatch(/\/login$/);
  });

  it('does not leave upstream event streams open as pages come and go', async () => {
    const admin = await stack.signal.mintToken({ userId: 'ops@example.com', rooms: ['*'], admin: true });
    const browsing = await newPage(stack.chromium.context);
    await logIn(browsing, stack.dashboard.url, admin);
    const visit = async (index: number) => {
      await browsing.goto(`${stack.dashboard.url}${['/rooms', '/turn', '/', '/cluster'][index % 4]}`);
      await expect.poll(() => browsing.getAttribute('[data-testid=live-state]', 'data-state'), POLL).toBe('live');
    };
    await visit(0);
    const settled = stack.signalLink.openConnections;
    for (let index = 1; index <= 12; index++) await visit(index);
    // Each visit opened an event stream through the link and left the previous one; a leak would
    // leave a dozen more connections open. Allow the keep-alive pool to grow by two.
    await expect.poll(() => stack.signalLink.openConnections, POLL).toBeLessThanOrEqual(settled + 2);
    await browsing.close();
  });
});
