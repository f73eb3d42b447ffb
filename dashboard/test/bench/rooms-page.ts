/**
 * Benchmark (a script, not a test): the rooms page with 10,000 rooms.
 *
 *   npm run bench:dashboard            (root; builds this script, then runs it)
 *   npm run bench:dashboard -- --rooms 10000 --samples 30
 *
 * Starts a real signal server (in this process) and creates the rooms through its admin API,
 * runs the built dashboard as its own process, logs in with headless Chromium and measures, with
 * medians and p95 over the samples:
 *  - the admin API's GET /v1/admin/rooms (the baseline: what the page waits for);
 *  - the dashboard's /rooms server render: time to first byte and to the full HTML (Node fetch);
 *  - the page fully rendered in Chromium (navigation to the rooms table painted).
 * The target is a server render under 300 ms on this machine; figures are printed, not asserted.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSignalServer } from '@parley/server';
import { launchChromium } from '@parley/test-support';
import { createRootLogger } from '@parley/runtime';

const TARGET_SERVER_RENDER_MS = 300;

function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'dashboard', 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root');
    dir = parent;
  }
  return dir;
}

function quantile(sortedMs: number[], q: number): number {
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil(q * sortedMs.length) - 1));
  return sortedMs[index]!;
}

interface Figure {
  name: string;
  medianMs: number;
  p95Ms: number;
}

async function measure(name: string, samples: number, run: () => Promise<number>): Promise<Figure> {
  for (let warmup = 0; warmup < 3; warmup++) await run();
  const times: number[] = [];
  for (let sample = 0; sample < samples; sample++) times.push(await run());
  times.sort((a, b) => a - b);
  return { name, medianMs: quantile(times, 0.5), p95Ms: quantile(times, 0.95) };
}

/** Times one GET: to the response head (first byte) and to the last byte of the body. */
async function timeGet(url: string, headers: Record<string, string>): Promise<{ firstByteMs: number; totalMs: number; status: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers, redirect: 'manual' });
  const firstByteMs = performance.now() - started;
  const body = await response.arrayBuffer();
  return { firstByteMs, totalMs: performance.now() - started, status: response.status, bytes: body.byteLength };
}

async function createRooms(baseUrl: string, token: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const response = await fetch(`${baseUrl}/v1/admin/rooms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `room-${String(index).padStart(5, '0')}`, emptyTimeoutSeconds: 86_400 }),
      });
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`creating room ${index}: HTTP ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function spawnDashboard(root: string, signalUrl: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [join(root, 'dashboard', 'dist', 'process', 'main.js')], {
    env: { PATH: process.env.PATH, NEXT_TELEMETRY_DISABLED: '1', PARLEY_DASHBOARD_HTTP__HOST: '127.0.0.1', PARLEY_DASHBOARD_HTTP__PORT: '0', PARLEY_DASHBOARD_SIGNAL__URL: signalUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (!line.includes('"dashboard listening"')) continue;
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => reject(new Error(`dashboard exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rooms: { type: 'string', default: '10000' }, samples: { type: 'string', default: '30' } } });
  const roomCount = Number(values.rooms);
  const samples = Number(values.samples);
  const root = repositoryRoot();
  const out = (line = '') => process.stdout.write(`${line}\n`);

  const signal = await startSignalServer({
    logger: createRootLogger({ name: 'signal', level: 'silent' }),
    config: { http: { host: '127.0.0.1', port: 0, staticDir: '/nonexistent' }, rooms: { maxPeers: 50 } },
  });
  const adminToken = await signal.mintToken({ userId: 'bench', rooms: ['*'], admin: true });
  const createStarted = performance.now();
  await createRooms(signal.url, adminToken, roomCount);
  out(`created ${roomCount} rooms through the admin API in ${((performance.now() - createStarted) / 1000).toFixed(1)} s`);

  const dashboard = await spawnDashboard(root, signal.url);
  const chromium = await launchChromium();
  try {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1366, height: 860 });
    await page.goto(`${dashboard.url}/login`);
    await page.fill('[data-testid=login-token]', adminToken);
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(`${dashboard.url}/`);
    const cookie = (await chromium.context.cookies(dashboard.url)).find((candidate) => candidate.name === 'parley_session');
    if (!cookie) throw new Error('no session cookie after login');
    const cookieHeader = { cookie: `parley_session=${cookie.value}` };
    const bearer = { authorization: `Bearer ${adminToken}` };

    const check = await timeGet(`${dashboard.url}/rooms`, cookieHeader);
    if (check.status !== 200) throw new Error(`/rooms answered ${check.status}`);
    const apiCheck = await (await fetch(`${signal.url}/v1/admin/rooms?limit=1`, { headers: bearer })).json();
    out(`admin API reports total=${(apiCheck as { total: number }).total} rooms; /rooms HTML is ${(check.bytes / 1024).toFixed(0)} KiB`);

    const figures: Figure[] = [];
    const pages: { label: string; query: string }[] = [
      { label: 'newest first (default)', query: '' },
      { label: 'sorted by peers, page 100', query: 'sort=peers&order=desc&offset=5000&limit=50' },
      { label: 'search "room-12"', query: 'q=room-12' },
    ];
    for (const { label, query } of pages) {
      const apiQuery = query === '' ? 'limit=50' : query.includes('limit') ? query : `${query}&limit=50`;
      figures.push(await measure(`admin API  GET /v1/admin/rooms  ${label}`, samples, async () => (await timeGet(`${signal.url}/v1/admin/rooms?${apiQuery}`, bearer)).totalMs));
      const firstBytes: number[] = [];
      figures.push(
        await measure(`dashboard  /rooms full HTML      ${label}`, samples, async () => {
          const timing = await timeGet(`${dashboard.url}/rooms${query ? `?${query}` : ''}`, cookieHeader);
          firstBytes.push(timing.firstByteMs);
          return timing.totalMs;
        }),
      );
      const sorted = firstBytes.slice(3).sort((a, b) => a - b);
      figures.push({ name: `dashboard  /rooms first byte     ${label}`, medianMs: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95) });
    }
    // In the browser: Navigation Timing and Paint Timing of each load, plus wall time until the
    // rooms table is on screen.
    const browser: { firstByte: number[]; contentfulPaint: number[]; domReady: number[]; load: number[]; wall: number[] } = {
      firstByte: [],
      contentfulPaint: [],
      domReady: [],
      load: [],
      wall: [],
    };
    const browserSamples = Math.min(samples, 15);
    for (let sample = 0; sample < browserSamples + 2; sample++) {
      const started = performance.now();
      await page.goto(`${dashboard.url}/rooms`, { waitUntil: 'load' });
      await page.locator('[data-testid=rooms-table] tr[data-room]').first().waitFor();
      const wall = performance.now() - started;
      const timing = await page.evaluate(() => {
        const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        return { firstByte: navigation.responseStart - navigation.requestStart, domReady: navigation.domContentLoadedEventEnd, load: navigation.loadEventEnd, contentfulPaint: paint?.startTime ?? Number.NaN };
      });
      if (sample < 2) continue;
      browser.firstByte.push(timing.firstByte);
      browser.contentfulPaint.push(timing.contentfulPaint);
      browser.domReady.push(timing.domReady);
      browser.load.push(timing.load);
      browser.wall.push(wall);
    }
    const summary = (name: string, values: number[]): Figure => {
      const sorted = [...values].sort((a, b) => a - b);
      return { name, medianMs: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95) };
    };
    figures.push(summary('chromium   /rooms time to first byte (navigation timing)', browser.firstByte));
    figures.push(summary('chromium   /rooms first contentful paint (table in the HTML)', browser.contentfulPaint));
    figures.push(summary('chromium   /rooms DOMContentLoaded', browser.domReady));
    figures.push(summary('chromium   /rooms load event (scripts, fonts, hydration)', browser.load));
    figures.push(summary('chromium   /rooms wall time: goto → load → table visible', browser.wall));

    out();
    out(`rooms page with ${roomCount} rooms, ${samples} samples each (3 warm-ups), this machine`);
    out(`${'measurement'.padEnd(78)} ${'median'.padStart(9)} ${'p95'.padStart(9)}`);
    for (const figure of figures) out(`${figure.name.padEnd(78)} ${figure.medianMs.toFixed(1).padStart(6)} ms ${figure.p95Ms.toFixed(1).padStart(6)} ms`);
    out();
    const defaultApi = figures[0]!;
    const defaultHtml = figures[1]!;
    const defaultFirstByte = figures[2]!;
    out(`ratio dashboard full HTML / admin API (default page): ${(defaultHtml.medianMs / defaultApi.medianMs).toFixed(1)}x`);
    out(`dashboard's own share of a render: ${(defaultHtml.medianMs - defaultApi.medianMs).toFixed(1)} ms (median HTML minus median API)`);
    const worst = Math.max(...figures.filter((figure) => figure.name.startsWith('dashboard  /rooms full')).map((figure) => figure.medianMs));
    out(
      `target: server render < ${TARGET_SERVER_RENDER_MS} ms: worst median full HTML ${worst.toFixed(1)} ms, first byte ${defaultFirstByte.medianMs.toFixed(1)} ms -> ${worst < TARGET_SERVER_RENDER_MS ? 'met' : 'NOT met'}`,
    );
  } finally {
    await chromium.close();
    dashboard.stop();
    await signal.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
