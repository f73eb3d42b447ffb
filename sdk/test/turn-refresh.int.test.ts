import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { launchChromium, waitFor, type LaunchedChromium } from '@parley/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPeer } from './support/browser-peer.js';
import type { HarnessWindow } from './support/page-types.js';
import { startStack, type TestStack } from './support/stack.js';

const run = promisify(execFile);

/**
 * The shortest TURN credential lifetime the signal server accepts. The server refreshes at
 * `refreshBeforeExpirySeconds` before expiry, but never before half the lifetime has passed.
 */
const TTL_SECONDS = 60;
const REFRESH_BEFORE_SECONDS = 30;

/**
 * TURN credentials that expire during the call. The server pushes `turn.refresh` before expiry;
 * the SDK applies it to every connection with setConfiguration. Past the original expiry the call
 * still runs, an ICE restart allocates afresh with the refreshed credential, and an allocation
 * attempted with the expired credential is refused by the relay (Chromium and coturn's
 * turnutils_uclient both try).
 */
describe('TURN credentials refreshed before they expire', () => {
  let chromium: LaunchedChromium;
  let stack: TestStack;
  let ada: BrowserPeer;
  let bob: BrowserPeer;

  beforeAll(async () => {
    stack = await startStack({ signal: { turn: { credentialTtlSeconds: TTL_SECONDS, refreshBeforeExpirySeconds: REFRESH_BEFORE_SECONDS } } });
    chromium = await launchChromium();
    ada = await BrowserPeer.open(chromium.context, stack.signal.url, 'ada');
    bob = await BrowserPeer.open(chromium.context, stack.signal.url, 'bob');
    await ada.join({ token: await stack.token('ada'), room: 'ttl', name: 'Ada', media: true });
    await bob.join({ token: await stack.token('bob'), room: 'ttl', name: 'Bob' });
    await ada.waitConnected([bob.peerId]);
    await bob.waitConnected([ada.peerId]);
  });
  afterAll(async () => {
    await ada?.close();
    await bob?.close();
    await chromium?.close();
    await stack?.stop();
  });

  it('keeps the call going past the original expiry and refuses the expired credential for new allocations', { timeout: 180_000 }, async () => {
    const original = await ada.page.evaluate(() => {
      const { peer } = window as HarnessWindow;
      return { iceServers: peer.client.iceServers, expiresAt: peer.client.session.turnExpiresAt };
    });
    const originalUsername = original.iceServers[0]!.username!;
    expect(original.expiresAt - Date.now() / 1000).toBeLessThanOrEqual(TTL_SECONDS + 1);

    // The refresh arrives and is applied to the running connection with setConfiguration.
    await waitFor(() => ada.page.evaluate(() => (window as HarnessWindow).peer.turnRefreshes > 0), { timeoutMs: (TTL_SECONDS - REFRESH_BEFORE_SECONDS + 15) * 1000, what: 'turn.refresh' });
    const applied = await ada.page.evaluate((id) => {
      const { peer } = window as HarnessWindow;
      return { connection: peer.room.mesh!.configuration(id)!.iceServers![0]!.username, session: peer.client.iceServers[0]!.username, expiresAt: peer.client.session.turnExpiresAt };
    }, bob.peerId);
    expect(applied.session).not.toBe(originalUsername);
    expect(applied.connection).toBe(applied.session);
    expect(applied.expiresAt).toBeGreaterThan(original.expiresAt);

    // Wait out the original credential.
    const framesAtExpiry = (await bob.connectionStats(ada.peerId)).framesDecoded;
    const waitMs = original.expiresAt * 1000 - Date.now() + 2_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, waitMs)));

    // The call still flows...
    expect(await ada.sendChat('after expiry')).toEqual([bob.peerId]);
    expect(await bob.waitForChat('after expiry')).toBe(ada.peerId);
    await waitFor(async () => (await bob.connectionStats(ada.peerId)).framesDecoded > framesAtExpiry + 30, { timeoutMs: 20_000, what: 'frames after expiry' });

    // ...and survives an ICE restart, which needs new allocations: only the refreshed credential can make them.
    const allocationsBefore = new Set(stack.relay.turn.status().allocations.map((allocation) => allocation.id));
    await ada.page.evaluate(() => (window as HarnessWindow).peer.room.restartIce());
    await ada.waitForLog(new RegExp(`^negotiation:${bob.peerId}:answer-received$`));
    await waitFor(
      () => stack.relay.turn.status().allocations.some((allocation) => !allocationsBefore.has(allocation.id) && allocation.userId === 'ada'),
      { timeoutMs: 20_000, what: "a new allocation for ada after the original credential expired" },
    );
    await ada.waitConnected([bob.peerId]);
    expect(await bob.sendChat('after restart')).toEqual([ada.peerId]);
    expect(await ada.waitForChat('after restart')).toBe(bob.peerId);

    // Chromium cannot allocate with the expired credential; it can with the refreshed one.
    const probes = await ada.page.evaluate(async (expired) => {
      const { parley, peer } = window as HarnessWindow;
      return { expired: await parley.probeTurn(expired, 5_000), current: await parley.probeTurn(peer.client.iceServers, 5_000) };
    }, original.iceServers);
    expect(probes.current.ok).toBe(true);
    expect(probes.expired.ok).toBe(false);
    expect(probes.expired.errors.map((error) => error.errorCode)).toContain(401);

    // coturn's own client, independent of Chromium and of our code: refused with the expired
    // credential, relaying with the refreshed one (same tool, same relay, only the credential differs).
    if (!existsSync('/usr/bin/turnutils_uclient')) throw new Error('turnutils_uclient (Debian package coturn) is needed for this test');
    const uclient = (username: string, credential: string) =>
      run('turnutils_uclient', ['-y', '-u', username, '-w', credential, '-n', '3', '-m', '1', '-p', String(stack.relay.turn.udpPort), '127.0.0.1'], { timeout: 30_000 }).then(
        ({ stdout, stderr }) => `${stdout}${stderr}`,
        (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
      );
    const refused = await uclient(originalUsername, original.iceServers[0]!.credential!);
    expect(refused).toMatch(/Cannot complete Allocation/);
    expect(refused).not.toMatch(/tot_recv_msgs=[1-9]/);
    const current = await ada.page.evaluate(() => (window as HarnessWindow).peer.client.iceServers[0]!);
    expect(await uclient(current.username!, current.credential!)).toMatch(/tot_recv_msgs=[1-9]/);
  });
});
