import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TurnCredentialsResponse } from '@parley/protocol';
import { freePort, waitFor } from '@parley/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

const SECRET = 'coturn-interop-shared-secret';

function run(command: string, args: string[], timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * The credentials the server mints are coturn's TURN REST format: coturn itself, configured
 * with the same shared secret, accepts them, driven by coturn's own turnutils_uclient.
 */
describe('TURN credentials against coturn', () => {
  let t: TestServer;
  let coturn: ChildProcess;
  let port: number;

  beforeAll(async () => {
    for (const binary of ['/usr/bin/turnserver', '/usr/bin/turnutils_uclient']) {
      if (!existsSync(binary)) throw new Error(`${binary} is missing: install Debian's coturn (npm test does this when it may)`);
    }
    port = await freePort('127.0.0.1');
    const relayMin = 40_000 + Math.floor(Math.random() * 20_000);
    coturn = spawn(
      '/usr/bin/turnserver',
      [
        '-n',
        '--listening-ip=127.0.0.1',
        '--relay-ip=127.0.0.2',
        `--listening-port=${port}`,
        `--min-port=${relayMin}`,
        `--max-port=${relayMin + 100}`,
        '--use-auth-secret',
        `--static-auth-secret=${SECRET}`,
        '--realm=parley.test',
        '--allow-loopback-peers',
        '--no-cli',
        '--no-tls',
        '--no-dtls',
        '--log-file=stdout',
        '--simple-log',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    coturn.stdout!.on('data', (chunk) => (log += chunk));
    await waitFor(() => /listener opened on|Total General servers/i.test(log), { timeoutMs: 10_000, what: 'coturn listening' });
    t = await startTestServer({ config: { turn: { secrets: [SECRET], urls: [`turn:127.0.0.1:${port}?transport=udp`] } } });
  });
  afterAll(async () => {
    coturn?.kill('SIGTERM');
    await t?.stop();
  });

  async function credentials(): Promise<TurnCredentialsResponse> {
    const token = await t.server.mintToken({ userId: 'interop', rooms: ['room-1'] });
    const response = await fetch(`${t.server.url}/v1/turn/credentials`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ room: 'room-1' }),
    });
    return (await response.json()) as TurnCredentialsResponse;
  }

  const uclient = (username: string, password: string) =>
    run('/usr/bin/turnutils_uclient', ['-y', '-n', '3', '-u', username, '-w', password, '-p', String(port), '-L', '127.0.0.1', '-e', '127.0.0.1', '127.0.0.1']);

  it('relays through coturn with a credential minted by the signal server', async () => {
    const { username, credential } = await credentials();
    const result = await uclient(username, credential);
    expect(result.code, result.output.slice(-800)).toBe(0);
    expect(result.output).toMatch(/tot_recv_msgs=\d*[1-9]/);
  });

  it('is refused by coturn when the credential does not match the username', async () => {
    const { username, credential } = await credentials();
    const tampered = username.replace(/^\d+/, (expiry) => String(Number(expiry) + 1));
    const result = await uclient(tampered, credential);
    expect(result.code).not.toBe(0);
  });
});
