import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launchChromium, waitFor, type LaunchedChromium } from '@parley/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, newPage, numberAt } from './support/browser';

const PARLEY = fileURLToPath(new URL('../../cli/bin/parley.js', import.meta.url));

/** `parley up` starts the dashboard beside the signal server and prints its URL and an admin login. */
describe('parley up with the dashboard', () => {
  let up: ChildProcess;
  let output = '';
  let chromium: LaunchedChromium;
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-up-dashboard-'));

  beforeAll(async () => {
    const [signalPort, dashboardPort, turnPort, turnHttpPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    up = spawn(process.execPath, [PARLEY, 'up', '--port', String(signalPort), '--dashboard-port', String(dashboardPort), '--turn-port', String(turnPort), '--turn-http-port', String(turnHttpPort), '--data-dir', dataDir], {
      cwd: dataDir,
      env: { PATH: process.env.PATH, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    up.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    up.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.includes('Ctrl-C stops everything.') || up.exitCode !== null, { timeoutMs: 90_000, intervalMs: 100, what: 'parley up to be ready' });
    if (up.exitCode !== null) throw new Error(`parley up exited with ${up.exitCode}:\n${output}`);
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    if (up && up.exitCode === null) {
      up.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the dashboard URL and an admin token that logs in', async () => {
    const dashboardUrl = /^dashboard\s+(http:\/\/\S+)/m.exec(output)?.[1];
    expect(dashboardUrl).toBeDefined();
    const lines = output.split('\n');
    const adminToken = lines[lines.findIndex((line) => line.startsWith('admin token')) + 1]?.trim();
    expect(adminToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const page = await newPage(chromium.context);
    await logIn(page, dashboardUrl!, adminToken!);
    expect(await page.textContent('[data-testid=session-user]')).toBe('admin');
    await expect.poll(() => numberAt(page, '[data-testid=stat-rooms]'), { timeout: 20_000 }).toBe(0);
    await page.goto(`${dashboardUrl}/cluster`);
    expect(await page.getAttribute('[data-testid=signal-node-row][data-node-id=signal-1]', 'data-ready')).toBe('true');
  });

  it('stops the dashboard with everything else on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => up.once('exit', (code) => resolve(code)));
    up.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('[up] stopped');
    expect(output).toMatch(/\[dashboard\] .*dashboard stopped/);
  });
});
