import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedChromium } from './chromium.js';

describe('Debian Chromium through playwright-core', () => {
  let chromium: LaunchedChromium;
  const server = createServer((_req, res) => res.end('<title>parley</title><p id="x">ready</p>'));

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    server.close();
  });

  it('renders a page served on loopback and gathers a host ICE candidate', async () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const page = await chromium.context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    expect(await page.textContent('#x')).toBe('ready');
    const candidate = await page.evaluate(async () => {
      const pc = new RTCPeerConnection();
      pc.createDataChannel('probe');
      const found = new Promise<string>((resolve) => {
        pc.onicecandidate = (event) => {
          if (event.candidate?.candidate) resolve(event.candidate.candidate);
        };
      });
      await pc.setLocalDescription(await pc.createOffer());
      const value = await found;
      pc.close();
      return value;
    });
    expect(candidate).toMatch(/ typ host /);
  });
});
