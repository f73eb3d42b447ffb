import { parseArgs } from 'node:util';
import { createTokenMinter, loadSignalConfig, systemClock } from '@parley/server';
import { dataDirOf, readDevSecrets } from '../dev-secrets.js';

const HELP = `usage: parley token --user U [--room R]... [--create] [--admin] [--direct] [--no-broadcast] [--ttl SECONDS]
                    [--config FILE] [--data-dir DIR]

Mints an HS256 access token with the first configured secret (PARLEY_SIGNAL_AUTH__HS256_SECRETS or
--config), or with the development secret of \`parley up\` (in --data-dir, default .parley/).
Prints the token alone on stdout.
`;

export async function runToken(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      user: { type: 'string' },
      room: { type: 'string', multiple: true },
      create: { type: 'boolean', default: false },
      admin: { type: 'boolean', default: false },
      direct: { type: 'boolean', default: false },
      'no-broadcast': { type: 'boolean', default: false },
      ttl: { type: 'string' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (!values.user) throw new Error(`--user is required\n\n${HELP}`);
  const ttlSeconds = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttlSeconds !== undefined && (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)) throw new Error('--ttl must be a whole number of seconds');

  let config = loadSignalConfig({ env: process.env, configFile: values.config });
  if (config.auth.hs256Secrets.length === 0 && config.auth.hs256Keys.length === 0) {
    const dev = readDevSecrets(dataDirOf(values['data-dir']));
    if (!dev) {
      throw new Error('no HS256 secret: set PARLEY_SIGNAL_AUTH__HS256_SECRETS (or auth.hs256Secrets in --config), or run `parley up` once to create .parley/');
    }
    config = loadSignalConfig({ env: process.env, overrides: { auth: { hs256Secrets: [dev.jwtSecret] } } });
  }
  const mint = createTokenMinter(config.auth, systemClock)!;
  const { token } = await mint({
    userId: values.user,
    rooms: values.room ?? [],
    create: values.create,
    admin: values.admin,
    direct: values.direct,
    broadcast: !values['no-broadcast'],
    ttlSeconds,
  });
  process.stdout.write(`${token}\n`);
}
