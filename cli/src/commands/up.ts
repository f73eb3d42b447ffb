import { parseArgs } from 'node:util';
import { createTokenMinter, loadSignalConfig, systemClock } from '@parley/server';
import { dataDirOf, ensureDevSecrets } from '../dev-secrets.js';
import { childSpecs, urlHost } from '../up/children.js';
import { Supervisor } from '../up/supervisor.js';

/**
 * Not coturn's 3478 (nor 3479, its alternate port): a developer trying Parley often has coturn
 * running on the same machine, and a clash would stop the demo. The URLs carry the port, so
 * browsers need nothing else. The HTTP port likewise avoids coturn's Prometheus port 9641.
 */
const DEFAULT_TURN_PORT = 3480;
const DEFAULT_TURN_HTTP_PORT = 9642;

function portOption(name: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`--${name} must be 1-65535`);
  return port;
}

const HELP = `usage: parley up [--host HOST] [--port PORT] [--dashboard-port PORT] [--turn-port PORT]
                 [--turn-http-port PORT] [--data-dir DIR]

Starts Parley on embedded defaults (in-memory state, no Redis): the TURN relay (UDP and TCP on
--turn-port, default ${DEFAULT_TURN_PORT}), the signal server and the admin dashboard, with development
secrets kept in --data-dir (default .parley/ in the current directory, created once with mode
0600); prints the URLs, a demo link and ready-made tokens. Ctrl-C stops everything.

This is a local demo: its TURN relay relays to loopback and private networks so that two tabs
or two machines of one LAN can call through it. \`parley turn\` denies those by default.
`;

export async function runUp(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      'dashboard-port': { type: 'string', default: '3000' },
      'turn-port': { type: 'string', default: String(DEFAULT_TURN_PORT) },
      'turn-http-port': { type: 'string', default: String(DEFAULT_TURN_HTTP_PORT) },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = portOption('port', values.port);
  const dashboardPort = portOption('dashboard-port', values['dashboard-port']);
  const turnPort = portOption('turn-port', values['turn-port']);
  const turnHttpPort = portOption('turn-http-port', values['turn-http-port']);
  const dataDir = dataDirOf(values['data-dir']);
  const { secrets, created } = ensureDevSecrets(dataDir);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(created ? `[up] generated development secrets in ${dataDir}/secrets.json` : `[up] using development secrets from ${dataDir}/secrets.json`);

  out('[up] local demo: the TURN relay may relay to loopback and private networks (see the warning below)');
  const specs = childSpecs({ host: values.host, signalPort: port, dashboardPort, turnPort, turnHttpPort, secrets, env: process.env });
  const supervisor = new Supervisor(out);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    out('[up] stopping');
    await supervisor.stop();
    out('[up] stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  void supervisor.crashed.then(({ name, code }) => {
    out(`[up] ${name} exited unexpectedly (code ${code}); stopping the others`);
    void stop(1);
  });

  try {
    await supervisor.start(specs);
  } catch (error) {
    out(`[up] ${(error as Error).message}`);
    await stop(1);
    return;
  }

  const config = loadSignalConfig({ overrides: { auth: { hs256Secrets: [secrets.jwtSecret] } } });
  const mint = createTokenMinter(config.auth, systemClock)!;
  const dayInSeconds = 86_400;
  const demo = await mint({ userId: 'demo-user', rooms: ['demo'], create: true, direct: true, ttlSeconds: dayInSeconds });
  const admin = await mint({ userId: 'admin', rooms: ['*'], create: true, admin: true, ttlSeconds: dayInSeconds });
  const base = `http://${urlHost(values.host)}:${port}`;
  const banner = [
    '',
    'Parley is up.',
    ...specs.flatMap((spec) => spec.banner ?? []),
    `demo            ${base}/?room=demo`,
    '',
    'token for room "demo" (user demo-user, 24 h):',
    `  ${demo.token}`,
    'admin token (24 h; Authorization: Bearer … on /v1/admin/*):',
    `  ${admin.token}`,
    '',
    'Ctrl-C stops everything.',
    '',
  ];
  for (const line of banner) out(line);
}
