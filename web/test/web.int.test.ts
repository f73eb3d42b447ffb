import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { freePort, launchChromium, type LaunchedChromium } from '@parley/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../../sdk/test/support/stack.js';
// @ts-expect-error build.mjs is plain JavaScript without type declarations
import { buildWeb } from '../build.mjs';

/**
 * The reference client, built fresh and served by the signal server at `/`, driven like a person
 * would: lobby, join, chat, send a file, read the badges. Relay-only through Parley's TURN relay.
 * Screenshots go to artifacts/tmp/screenshots/ on every run, and also to docs/screenshots/ (the
 * ones the README shows) when PARLEY_UPDATE_SCREENSHOTS=1.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const artifactDir = join(root, 'artifacts/tmp/screenshots');
const docsDir = join(root, 'docs/screenshots');

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifactDir, { recursive: true });
  const file = join(artifactDir, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.PARLEY_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(docsDir, { recursive: true });
    copyFileSync(file, join(docsDir, `${name}.png`));
  }
}

let webDir: string;
let chromium: LaunchedChromium;

beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), 'parley-web-'));
  await buildWeb({ outdir: webDir });
  chromium = await launchChromium({ extraArgs: ['--autoplay-policy=no-user-gesture-required'] });
});
afterAll(async () => {
  await chromium?.close();
  rmSync(webDir, { recursive: true, force: true });
});

async function openLobby(stack: TestStack, query = 'relay=1'): Promise<Page> {
  const page = await chromium.context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${stack.signal.url}/?${query}`);
  await page.waitForSelector('form.lobby');
  return page;
}

async function joinFromLobby(page: Page, room: string, name: string, options: { camera?: boolean } = {}): Promise<void> {
  await page.fill('#room', room);
  await page.fill('#display-name', name);
  if (options.camera === false) await page.uncheck('#camera');
  await page.click('#join');
}

describe('reference web client: a call of four', () => {
  let stack: TestStack;
  const pages: Page[] = [];

  beforeAll(async () => {
    stack = await startStack({ staticDir: webDir });
  });
  afterAll(async () => {
    for (const page of pages) await page.close();
    await stack?.stop();
  });

  it('joins four people from the lobby with dev tokens, connects them all through the relay, and shows quality badges', async () => {
    const names = ['Ada', 'Bob', 'Cy', 'Dee'];
    for (const [index, name] of names.entries()) {
      const page = await openLobby(stack);
      if (index === 0) await screenshot(page, 'lobby');
      // Two with camera, two audio-only: a realistic mix that keeps four encoders off two cores.
      await joinFromLobby(page, 'standup', name, { camera: index < 2 });
      await page.waitForSelector('#call');
      pages.push(page);
    }
    for (const page of pages) {
      // Three remote tiles, each connected, each badge a relay path with an RTT.
      await page.waitForFunction(() => document.querySelectorAll('.tile:not(.self)[data-connection-state="connected"]').length === 3, undefined, { timeout: 30_000 });
      await page.waitForFunction(() => [...document.querySelectorAll('.tile:not(.self) .badge')].every((badge) => badge.getAttribute('data-path') === 'relay' && /ms/.test(badge.textContent ?? '')), undefined, { timeout: 20_000 });
    }
    const badge = await pages[0]!.textContent('.tile:not(.self) .badge');
    expect(badge).toMatch(/^relay\/udp · \d+ ms/);
    // Video from the two camera users is playing in the others' tiles.
    await pages[3]!.waitForFunction(() => [...document.querySelectorAll<HTMLVideoElement>('.tile:not(.self) video')].filter((video) => video.videoWidth > 0).length === 2, undefined, { timeout: 20_000 });
  });

  it('delivers chat typed in one tab to the three others', async () => {
    await pages[1]!.fill('#chat-input', 'Morning all!');
    await pages[1]!.click('#chat-send');
    for (const page of [pages[0]!, pages[2]!, pages[3]!]) {
      await page.waitForFunction(() => [...document.querySelectorAll('#chat-list li p')].some((p) => p.textContent === 'Morning all!'));
    }
    expect(await pages[0]!.textContent('#chat-list li:last-child .who')).toBe('Bob');
  });

  it('sends a file with a progress bar; receivers get it verified and can save it', async () => {
    const sender = pages[0]!;
    await sender.setInputFiles('#file-input', { name: 'notes.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(2 * 1024 * 1024, 7) });
    await sender.click('#file-send');
    await sender.waitForFunction(() => document.querySelectorAll('.transfer.out[data-outcome="verified"]').length === 3, undefined, { timeout: 60_000 });
    for (const page of pages.slice(1)) {
      await page.waitForSelector('.transfer.in[data-outcome="verified"] a[data-sha256]', { timeout: 30_000 });
      const progress = await page.$eval('.transfer.in progress', (bar) => ({ value: (bar as HTMLProgressElement).value, max: (bar as HTMLProgressElement).max }));
      expect(progress).toEqual({ value: 2 * 1024 * 1024, max: 2 * 1024 * 1024 });
    }
    const sha = await pages[1]!.getAttribute('a[data-sha256]', 'data-sha256');
    expect(sha).toBe(createHash('sha256').update(Buffer.alloc(2 * 1024 * 1024, 7)).digest('hex'));
    await screenshot(pages[1]!, 'call');
  });

  it('shows the lobby with "room closed" for everyone when an administrator closes the room', async () => {
    expect((await stack.admin('DELETE', '/v1/admin/rooms/standup')).status).toBe(204);
    for (const page of pages) await page.waitForSelector('form.lobby [data-error-code="ROOM_CLOSED"]');
    await screenshot(pages[0]!, 'room-closed');
  });
});

describe('reference web client: clear messages when joining is refused', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ staticDir: webDir });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('explains an invalid token given in the link, and takes the token out of the address bar', async () => {
    const page = await openLobby(stack, 'relay=1&token=not.a.token');
    expect(page.url()).not.toContain('token=');
    await joinFromLobby(page, 'r1', 'Ada', { camera: false });
    await page.waitForSelector('[data-error-code="TOKEN_MALFORMED"]');
    await screenshot(page, 'invalid-token');
    await page.close();
  });

  it('explains an expired token', async () => {
    const page = await openLobby(stack, `token=${await stack.token('late', { ttlSeconds: -600 })}`);
    await joinFromLobby(page, 'r1', 'Ada', { camera: false });
    await page.waitForSelector('[data-error-code="TOKEN_EXPIRED"]');
    await page.close();
  });

  it('explains a full room', async () => {
    expect((await stack.admin('POST', '/v1/admin/rooms', { name: 'one-seat', maxPeers: 1 })).status).toBe(201);
    const first = await openLobby(stack);
    await joinFromLobby(first, 'one-seat', 'First', { camera: false });
    await first.waitForSelector('#call');
    const second = await openLobby(stack);
    await joinFromLobby(second, 'one-seat', 'Second', { camera: false });
    await second.waitForSelector('[data-error-code="ROOM_FULL"]');
    await screenshot(second, 'room-full');
    await first.close();
    await second.close();
  });
});

describe('reference web client: unreachable TURN relay and servers without a dev token endpoint', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // Clients are handed a TURN URL where nothing listens.
    const deadPort = await freePort();
    stack = await startStack({ staticDir: webDir, turnUrls: [`turn:127.0.0.1:${deadPort}?transport=udp`], signal: { dev: { tokenEndpoint: false } } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('asks for a token when the server mints none, and tells the user the relay is unreachable', async () => {
    const page = await openLobby(stack);
    await joinFromLobby(page, 'cold', 'Ada', { camera: false });
    await page.waitForSelector('[data-error-code="TOKEN_MISSING"]');
    expect(await page.isVisible('#token')).toBe(true);
    await page.fill('#token', await stack.token('ada'));
    await page.click('#join');
    await page.waitForSelector('#call');
    await page.waitForSelector('#banners [data-error-code="TURN_UNREACHABLE"]', { timeout: 20_000 });
    expect(await page.getAttribute('#call', 'data-turn-probe')).toBe('failed');
    await screenshot(page, 'turn-unreachable');
    await page.close();
  });
});
