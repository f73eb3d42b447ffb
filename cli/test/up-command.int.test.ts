import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@parley/test-support';
import { jwtVerify } from 'jose';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runParley } from './run-cli.js';

describe('parley up', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parley-up-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  async function up(port: number) {
    // The dashboard child would take its default port 3000 otherwise.
    const dashboardPort = await freePort();
    const run = runParley(['up', '--port', String(port), '--dashboard-port', String(dashboardPort)], { cwd, env: cleanEnv({ PARLEY_SIGNAL_LOG__LEVEL: 'warn' }) });
    await run.waitForOutput(/Ctrl-C stops everything\./, 60_000);
    return run;
  }

  it('starts the signal server with generated dev secrets, prints URLs and working tokens, and stops on Ctrl-C', async () => {
    const port = await freePort();
    const run = await up(port);
    try {
      const output = run.output();
      expect(output).toContain(`signal server   http://127.0.0.1:${port}`);
      expect(output).toContain(`demo            http://127.0.0.1:${port}/?room=demo`);
      const tokens = [...output.matchAll(/^ {2}(eyJ[\w-]+\.[\w-]+\.[\w-]+)$/gm)].map((match) => match[1]!);
      expect(tokens).toHaveLength(2);

      // Secrets: generated once, private to the user.
      const secretsFile = join(cwd, '.parley', 'secrets.json');
      expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
      expect(statSync(join(cwd, '.parley')).mode & 0o777).toBe(0o700);
      const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as { jwtSecret: string };
      const [demo, admin] = await Promise.all(tokens.map((token) => jwtVerify(token, new TextEncoder().encode(secrets.jwtSecret))));
      expect(demo!.payload).toMatchObject({ sub: 'demo-user', parley: { rooms: ['demo'], create: true } });
      expect(admin!.payload).toMatchObject({ parley: { admin: true } });

      // The demo token joins the demo room; the admin token reads the admin API; the dev token endpoint is on.
      const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/ws?access_token=${tokens[0]}`);
      const joined = new Promise<{ type: string; room?: string }>((resolve) => {
        ws.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as { type: string; room?: string };
          if (frame.type === 'room.joined') resolve(frame);
        });
      });
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(JSON.stringify({ type: 'room.join', rid: 1, room: 'demo' }));
      expect(await joined).toMatchObject({ room: 'demo' });
      ws.close();
      const overview = await fetch(`http://127.0.0.1:${port}/v1/admin/overview`, { headers: { authorization: `Bearer ${tokens[1]}` } });
      expect(overview.status).toBe(200);
      const dev = await fetch(`http://127.0.0.1:${port}/v1/dev/token`, { method: 'POST', body: JSON.stringify({ room: 'lobby', userId: 'guest' }) });
      expect(await dev.json()).toMatchObject({ token: expect.stringMatching(/^eyJ/), expiresAt: expect.any(Number) });

      // `parley token` finds the same dev secret in .parley/.
      const minted = runParley(['token', '--user', 'x'], { cwd, env: cleanEnv() });
      expect((await minted.exited).code).toBe(0);
      await jwtVerify(minted.output().trim(), new TextEncoder().encode(secrets.jwtSecret));

      run.child.kill('SIGINT');
      expect((await run.exited).code).toBe(0);
      expect(run.output()).toContain('[up] stopped');
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('keeps the same secrets on the next start', async () => {
    const before = readFileSync(join(cwd, '.parley', 'secrets.json'), 'utf8');
    const run = await up(await freePort());
    try {
      expect(run.output()).toContain('using development secrets from');
      expect(readFileSync(join(cwd, '.parley', 'secrets.json'), 'utf8')).toBe(before);
      run.child.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
