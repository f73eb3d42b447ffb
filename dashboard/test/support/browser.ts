import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';

const PEER_SCRIPT = readFileSync(new URL('./webrtc-peer.browser.js', import.meta.url), 'utf8');

/** A page sized like a laptop screen. */
export async function newPage(context: BrowserContext, width = 1366, height = 860): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  return page;
}

/** Logs in through the login form; resolves on the overview page. */
export async function logIn(page: Page, dashboardUrl: string, token: string): Promise<void> {
  await page.goto(`${dashboardUrl}/login`);
  await page.fill('[data-testid=login-token]', token);
  await page.click('[data-testid=login-submit]');
  await page.waitForURL(`${dashboardUrl}/`);
}

/** Submits a token and returns the error code the login page shows. */
export async function loginErrorFor(page: Page, dashboardUrl: string, token: string): Promise<string | null> {
  await page.goto(`${dashboardUrl}/login`);
  await page.fill('[data-testid=login-token]', token);
  await page.click('[data-testid=login-submit]');
  const error = page.locator('[data-testid=login-error]');
  await error.waitFor();
  expect(page.url()).toContain('/login');
  return error.getAttribute('data-code');
}

export interface BrowserPeerOptions {
  wsUrl: string;
  token: string;
  room: string;
  name: string;
  forceRelay: boolean;
  pumpIntervalMs: number;
  statsIntervalMs: number;
  /** ICE servers to use instead of the `session` message's (e.g. credentials minted for the room). */
  iceServers?: unknown[];
}

export interface BrowserPeerState {
  peerId: string | null;
  joined: boolean;
  open: boolean;
  bytesSent: number;
  bytesReceived: number;
  closed: { code: number; reason: string } | null;
  roomClosed: string | null;
  errors: string[];
  lastStats: { path: string; relayProtocol?: string; rttMs?: number }[] | null;
}

/** Starts a WebRTC peer (test/support/webrtc-peer.browser.js) in its own page. */
export async function startBrowserPeer(context: BrowserContext, hostUrl: string, options: BrowserPeerOptions): Promise<Page> {
  const page = await context.newPage();
  // A page on 127.0.0.1 is a secure context, which RTCPeerConnection needs.
  await page.goto(hostUrl);
  await page.addScriptTag({ content: PEER_SCRIPT });
  await page.evaluate((peerOptions) => (window as unknown as { parleyPeer: { start(o: unknown): void } }).parleyPeer.start(peerOptions), options);
  return page;
}

export function browserPeerState(page: Page): Promise<BrowserPeerState> {
  return page.evaluate(() => (window as unknown as { parleyPeerState: BrowserPeerState }).parleyPeerState);
}

/** The numeric `data-value` of the first element matching `selector`. */
export async function numberAt(page: Page, selector: string): Promise<number> {
  const value = await page.locator(selector).first().getAttribute('data-value');
  return Number(value);
}
