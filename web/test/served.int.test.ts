import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createTokenMinter, loadSignalConfig, systemClock } from '@parley/server';
import { freePort, launchChromium, waitFor, type LaunchedChromium } from '@parley/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runParley, type Spawned } from '../../cli/test/run-cli.js';

/**
 * The reference client as people meet it: the built `parley` CLI serves the built web/dist at `/`
 * (no test server, no staticDir set by the test). Under `parley up` the lobby mints development
 * tokens; under a plain `parley signal` (production config) the endpoint does not exist and the
 * lobby asks for a token.
 */
let chromium: LaunchedChromium;
const cwd = mkdtempSync(join(tmpdir(), 'parley-served-'));

beforeAll(async () => {
  chromium = await launchChromium({ extraArgs: ['--autoplay-policy=no-user-gesture-required'] });
});
afterAll(async () => {
  await chromium?.close();
  rmSync(cwd, { recursive: true, force: true });
});

async function stopProcess(run: Spawned): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  const exited = await Promise.race([run.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000))]);
  if (exited === null) run.child.kill('SIGKILL');
}

async function joinFromLobby(page: Page, name: string, options: { camera: boolean }): Promise<void> {
  await page.waitForSelector('form.lobby');
  await page.fill('#display-name', name);
  if (!options.camera) await page.uncheck('#camera');
  await page.click('#join');
}

async function noticesOf(page: Page): Promise<string[]> {
  return page.$$eval('#banners [data-error-code]', (banners) => banners.map((banner) => banner.getAttribute('data-error-code') ?? ''));
}

describe('the reference client under `parley up`', () => {
  let run: Spawned;
  let demoUrl: string;

  beforeAll(async () => {
    const args = ['up', '--port', String(await freePort()), '--dashboard-port', String(await freePort()), '--data-dir', join(cwd, 'up')];
    // `parley up` gains its own TURN relay with --turn-port/--turn-http-port; give them free ports
    // when this build has them, so the test never takes a default port another run may hold.
    const help = runParley(['up', '--help'], { env: cleanEnv() });
    await help.exited;
    if (help.output().includes('--turn-port')) args.push('--turn-port', String(await freePort()), '--turn-http-port', String(await freePort()));
    run = runParley(args, { cwd, env: cleanEnv({ PARLEY_SIGNAL_LOG__LEVEL: 'warn' }) });
    await run.waitForOutput(/Ctrl-C stops everything\./, 90_000);
    demoUrl = run.output().match(/^demo +(http:\/\/\S+)$/m)![1]!;
  });
  afterAll(async () => {
    if (run) await stopProcess(run);
  });

  it('serves the client at the demo link, and two tabs get a video call with development tokens and no warnings', async () => {
    const pages = [await chromium.context.newPage(), await chromium.context.newPage()];
    try {
      for (const [index, page] of pages.entries()) {
        await page.goto(demoUrl);
        // The demo link names the room; a newcomer only types a name.
        expect(await page.inputValue('#room')).toBe('demo');
        await joinFromLobby(page, ['Ada', 'Bob'][index]!, { camera: true });
        await page.waitForSelector('#call');
      }
      for (const page of pages) {
        await page.waitForSelector('.tile:not(.self)[data-connection-state="connected"]', { timeout: 30_000 });
        await page.waitForFunction(() => [...document.querySelectorAll<HTMLVideoElement>('.tile:not(.self) video')].some((video) => video.videoWidth > 0), undefined, { timeout: 30_000 });
        // The relay check has finished (whatever relay `parley up` runs) and found nothing to warn about.
        await page.waitForSelector('#call[data-turn-probe]', { timeout: 15_000 });
        expect(await page.getAttribute('#call', 'data-turn-probe')).not.toBe('failed');
        expect(await noticesOf(page)).toEqual([]);
      }
    } finally {
      for (const page of pages) await page.close();
    }
  });
});

describe('the reference client under a production `parley signal`', () => {
  const secret = randomBytes(32).toString('hex');
  let run: Spawned;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Only what production must set: where to listen and how to verify tokens.
    run = runParley(['signal'], {
      cwd,
      env: cleanEnv({ PARLEY_SIGNAL_HTTP__HOST: '127.0.0.1', PARLEY_SIGNAL_HTTP__PORT: String(port), PARLEY_SIGNAL_AUTH__HS256_SECRETS: secret, PARLEY_SIGNAL_LOG__LEVEL: 'warn' }),
    });
    await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok === true, { timeoutMs: 30_000, what: 'parley signal ready' });
  });
  afterAll(async () => {
    if (run) await stopProcess(run);
  });

  it('has no development token endpoint unless configured', async () => {
    expect(loadSignalConfig({ env: {} }).dev.tokenEndpoint).toBe(false);
    const response = await fetch(`${base}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ room: 'demo', userId: 'intruder' }) });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND' } });
  });

  it('serves the client at /, whose lobby asks for a token and joins with a pasted one', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await chromium.context.newPage();
    try {
      await page.goto(`${base}/?room=ops`);
      await joinFromLobby(page, 'Ada', { camera: false });
      await page.waitForSelector('form.lobby [data-error-code="TOKEN_MISSING"]');
      expect(await page.isVisible('#token')).toBe(true);
      const minter = createTokenMinter(loadSignalConfig({ env: {}, overrides: { auth: { hs256Secrets: [secret] } } }).auth, systemClock)!;
      await page.fill('#token', (await minter({ userId: 'ada', rooms: ['ops'], create: true })).token);
      await page.click('#join');
      await page.waitForSelector('#call');
      // This server hands out no TURN relay: nothing to warn about for a call that may go direct.
      await page.waitForSelector('#call[data-turn-probe="none"]', { timeout: 15_000 });
      expect(await noticesOf(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
