import { freePort, waitFor } from '@parley/test-support';
import { jwtVerify } from 'jose';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runParley } from './run-cli.js';

const SECRET = 'cli-test-secret-that-is-long-enough-01';

async function runToken(args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  const run = runParley(['token', ...args], { env, cwd });
  const exit = await run.exited;
  return { ...exit, output: run.output() };
}

describe('parley signal', () => {
  it('refuses to start on the uWebSockets.js JavaScript fallback, saying why', async () => {
    const run = runParley(['signal'], { env: cleanEnv({ UWS_USE_FALLBACK: '1', PARLEY_SIGNAL_HTTP__HOST: '127.0.0.1', PARLEY_SIGNAL_HTTP__PORT: '0' }) });
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.output()).toMatch(/JavaScript fallback, not the native binary/);
    expect(run.output()).toMatch(/refusing to start/);
  });

  it('fails at start-up on a bad setting, naming its environment variable', async () => {
    const run = runParley(['signal'], { env: cleanEnv({ PARLEY_SIGNAL_HTTP__PORT: 'eighty', PARLEY_SIGNAL_LIMITS__NOPE: '1' }) });
    expect((await run.exited).code).toBe(1);
    expect(run.output()).toMatch(/http\.port \(PARLEY_SIGNAL_HTTP__PORT\)/);
    expect(run.output()).toMatch(/PARLEY_SIGNAL_LIMITS__NOPE.*unknown setting/);
  });

  it('serves a token minted by `parley token`, and on SIGTERM drains: readyz 503, peers told, exit 0 once empty', async () => {
    const port = await freePort();
    const env = cleanEnv({ PARLEY_SIGNAL_HTTP__HOST: '127.0.0.1', PARLEY_SIGNAL_HTTP__PORT: String(port), PARLEY_SIGNAL_AUTH__HS256_SECRETS: SECRET, PARLEY_SIGNAL_LOG__LEVEL: 'warn' });
    const server = runParley(['signal'], { env });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.ok, { timeoutMs: 20_000, what: 'parley signal ready' });
      const token = (await runToken(['--user', 'cli-user', '--room', 'ops', '--create'], env)).output.trim();
      const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/ws?access_token=${token}`);
      const frames: { type: string }[] = [];
      ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(JSON.stringify({ type: 'room.join', rid: 1, room: 'ops' }));
      await waitFor(() => frames.some((frame) => frame.type === 'room.joined'), { what: 'room.joined' });

      server.child.kill('SIGTERM');
      await waitFor(() => frames.some((frame) => frame.type === 'drain'), { what: 'drain message' });
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      ws.close(1000);
      expect(await server.exited).toEqual({ code: 0, signal: null });
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});

describe('parley token', () => {
  it('prints an HS256 token with the requested grants, signed with the configured secret', async () => {
    const { code, output } = await runToken(['--user', 'ada', '--room', 'a', '--room', 'b', '--admin', '--ttl', '120'], cleanEnv({ PARLEY_SIGNAL_AUTH__HS256_SECRETS: SECRET }));
    expect(code).toBe(0);
    const { payload, protectedHeader } = await jwtVerify(output.trim(), new TextEncoder().encode(SECRET));
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'ada', parley: { rooms: ['a', 'b'], admin: true, create: false } });
    expect(payload.exp! - payload.iat!).toBe(120);
  });

  it('fails with a clear message when there is no secret to sign with', async () => {
    const { code, output } = await runToken(['--user', 'ada', '--data-dir', '/nonexistent/parley'], cleanEnv());
    expect(code).toBe(1);
    expect(output).toMatch(/no HS256 secret/);
  });

  it('requires --user', async () => {
    const { code, output } = await runToken([], cleanEnv({ PARLEY_SIGNAL_AUTH__HS256_SECRETS: SECRET }));
    expect(code).toBe(1);
    expect(output).toMatch(/--user is required/);
  });
});
