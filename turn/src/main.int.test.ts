import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@parley/test-support';
import { CLASS_SUCCESS, METHOD_BINDING } from './stun/index.js';
import { TurnTestClient } from '../test/turn-test-client.js';

/** `parley turn` as a process: env config, logs without secrets, clean exit on SIGTERM, config errors with the variable name. */
const PARLEY = fileURLToPath(new URL('../../cli/bin/parley.js', import.meta.url));
const CLI_DIST = fileURLToPath(new URL('../../cli/dist/parley.js', import.meta.url));

function spawnTurn(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  if (!existsSync(CLI_DIST)) throw new Error('cli/dist is missing: run `npm run build` (npm test builds first)');
  const child = spawn(process.execPath, [PARLEY, 'turn'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

describe('parley turn', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('starts from PARLEY_TURN_* variables, answers STUN, never logs the secret and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const httpPort = await freePort();
    const secret = 'cli-secret-that-must-not-be-logged';
    const turn = spawnTurn({
      PARLEY_TURN_LISTEN__HOSTS: '127.0.0.1',
      PARLEY_TURN_LISTEN__UDP_PORT: String(port),
      PARLEY_TURN_LISTEN__TCP_PORT: String(port),
      PARLEY_TURN_HTTP__HOST: '127.0.0.1',
      PARLEY_TURN_HTTP__PORT: String(httpPort),
      PARLEY_TURN_AUTH__SECRETS: secret,
      PARLEY_TURN_HTTP__INTERNAL_TOKEN: 'token-that-must-not-be-logged',
    });
    children.push(turn.child);
    await waitFor(() => turn.output().includes('turn relay listening'), { what: 'relay start', timeoutMs: 20_000 });
    const client = await TurnTestClient.udp(port);
    try {
      expect((await client.request(METHOD_BINDING, [], { sign: false })).cls).toBe(CLASS_SUCCESS);
    } finally {
      client.close();
    }
    expect((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status).toBe(200);
    turn.child.kill('SIGTERM');
    expect(await turn.exited).toBe(0);
    expect(turn.output()).not.toContain(secret);
    expect(turn.output()).not.toContain('token-that-must-not-be-logged');
    expect(turn.output()).toContain('[redacted]');
  });

  it('refuses a bad setting at start-up naming its environment variable', async () => {
    const turn = spawnTurn({ PARLEY_TURN_RELAY__MIN_PORT: 'lots' });
    children.push(turn.child);
    expect(await turn.exited).toBe(1);
    expect(turn.output()).toContain('PARLEY_TURN_RELAY__MIN_PORT');
  });
});
