import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TurnCredentialsResponse, TurnResponse } from '@parley/protocol';
import { freePort, waitFor } from '@parley/test-support';
import { jwtVerify } from 'jose';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runParley } from './run-cli.js';

describe('parley up', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parley-up-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  async function up(port: number, env: Record<string, string> = {}) {
    // The dashboard and TURN children would take their default ports (3000, 3480, 9642) otherwise.
    const [dashboardPort, turnPort, turnHttpPort] = [await freePort(), await freePort(), await freePort()];
    const run = runParley(['up', '--port', String(port), '--dashboard-port', String(dashboardPort), '--turn-port', String(turnPort), '--turn-http-port', String(turnHttpPort)], {
      cwd,
      env: cleanEnv({ PARLEY_SIGNAL_LOG__LEVEL: 'warn', ...env }),
    });
    await run.waitForOutput(/Ctrl-C stops everything\./, 60_000);
    return Object.assign(run, { turnPort, turnHttpPort });
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

  it('runs the TURN relay on the signal server\'s secret: a credential from /v1/turn/credentials relays through it, the banner warns it reaches loopback, all stop cleanly', async () => {
    if (!existsSync('/usr/bin/turnutils_uclient')) throw new Error('/usr/bin/turnutils_uclient is missing: install Debian\'s coturn package (npm test does when it may)');
    const port = await freePort();
    const run = await up(port, { PARLEY_SIGNAL_TURN__POLL_INTERVAL_SECONDS: '1' });
    const { turnPort, turnHttpPort } = run;
    try {
      const output = run.output();
      const turnUrls = [`turn:127.0.0.1:${turnPort}?transport=udp`, `turn:127.0.0.1:${turnPort}?transport=tcp`];
      expect(output).toContain(`turn relay      ${turnUrls.join('  ')}  (status http://127.0.0.1:${turnHttpPort}/v1/status)`);
      // LOUD: a banner line and the relay's own pino warning (level 40) naming the allowed networks.
      expect(output).toMatch(/^WARNING {9}local demo: the TURN relay relays to loopback and private networks \(127\.0\.0\.0\/8 ::1 10\.0\.0\.0\/8 /m);
      const warning = output.split('\n').find((line) => line.startsWith('[turn] ') && line.includes('peer allow list overrides the deny list'));
      expect(warning, 'pino warning of the relay').toBeDefined();
      expect(JSON.parse(warning!.slice('[turn] '.length))).toMatchObject({ level: 40, allowPeers: expect.arrayContaining(['127.0.0.0/8', '192.168.0.0/16']) });
      const [demoToken, adminToken] = [...output.matchAll(/^ {2}(eyJ[\w-]+\.[\w-]+\.[\w-]+)$/gm)].map((match) => match[1]!);

      // The signal server hands out the relay's URLs with a credential signed by the shared secret.
      const response = await fetch(`http://127.0.0.1:${port}/v1/turn/credentials`, {
        method: 'POST',
        headers: { authorization: `Bearer ${demoToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ room: 'demo' }),
      });
      expect(response.status).toBe(200);
      const issued = TurnCredentialsResponse.parse(await response.json());
      expect(issued.iceServers.flatMap((server) => server.urls)).toEqual(expect.arrayContaining(turnUrls));

      // coturn's own client allocates with it on the relay and relays client-to-client over
      // loopback relayed addresses (allowed only because this is the local demo).
      const { stdout, stderr } = await promisify(execFile)(
        'turnutils_uclient',
        ['-y', '-u', issued.username, '-w', issued.credential, '-n', '20', '-m', '1', '-l', '100', '-z', '5', '-p', String(turnPort), '127.0.0.1'],
        { timeout: 30_000 },
      );
      const uclient = `${stdout}${stderr}`;
      const totals = /tot_send_msgs=(\d+), tot_recv_msgs=(\d+)\s*$/m.exec(uclient);
      expect(totals, uclient.slice(-1500)).not.toBeNull();
      expect(Number(totals![1])).toBeGreaterThanOrEqual(20);
      expect(Number(totals![2])).toBe(Number(totals![1]));
      const metrics = await (await fetch(`http://127.0.0.1:${turnHttpPort}/metrics`)).text();
      expect(Number(/^parley_turn_allocations_created_total\{transport="udp"\} (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);

      // The signal server polls the relay with the shared internal token: the admin TURN view shows it healthy.
      const view = await waitFor(
        async () => {
          const body = TurnResponse.parse(await (await fetch(`http://127.0.0.1:${port}/v1/admin/turn`, { headers: { authorization: `Bearer ${adminToken}` } })).json());
          return body.nodes[0]?.healthy ? body : undefined;
        },
        { what: 'a healthy TURN node in the admin view', timeoutMs: 10_000, intervalMs: 250 },
      );
      expect(view.nodes).toEqual([expect.objectContaining({ nodeId: 'turn-1', statusUrl: `http://127.0.0.1:${turnHttpPort}/v1/status`, healthy: true })]);

      run.child.kill('SIGINT');
      expect((await run.exited).code).toBe(0);
      expect(run.output()).toContain('[up] stopped');
      expect(run.output()).toMatch(/\[turn\] .*"msg":"turn relay stopped"/);
      await expect(fetch(`http://127.0.0.1:${turnHttpPort}/healthz`)).rejects.toThrow();
      // The relay's UDP port is free again.
      const socket = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(turnPort, '127.0.0.1', resolve);
      });
      socket.close();
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
