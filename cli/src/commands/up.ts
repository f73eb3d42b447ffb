import { parseArgs } from 'node:util';
import { createTokenMinter, loadSignalConfig, systemClock } from '@parley/server';
import { dataDirOf, ensureDevSecrets } from '../dev-secrets.js';
import { childSpecs, urlHost } from '../up/children.js';
import { Supervisor } from '../up/supervisor.js';

const HELP = `usage: parley up [--host HOST] [--port PORT] [--dashboard-port PORT] [--data-dir DIR]

Starts Parley on embedded defaults (in-memory state, no Redis) with development secrets kept in
--data-dir (default .parley/ in the current directory, created once with mode 0600), prints the
URLs, a demo link and ready-made tokens. Ctrl-C stops everything.
`;

export async function runUp(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      'dashboard-port': { type: 'string', default: '3000' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error('--port must be 1-65535');
  const dashboardPort = Number(values['dashboard-port']);
  if (!Number.isInteger(dashboardPort) || dashboardPort < 1 || dashboardPort > 65_535) throw new Error('--dashboard-port must be 1-65535');
  const dataDir = dataDirOf(values['data-dir']);
  const { secrets, created } = ensureDevSecrets(dataDir);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(created ? `[up] generated development secrets in ${dataDir}/secrets.json` : `[up] using development secrets from ${dataDir}/secrets.json`);

  const specs = childSpecs({ host: values.host, signalPort: port, dashboardPort, secrets, env: process.env });
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
