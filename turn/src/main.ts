import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, parseConfigFile, renderConfigMarkdown } from '@parley/runtime';
import { TURN_ENV_PREFIX, TurnConfigSchema } from './config.js';
import { startTurnServer } from './server.js';

/**
 * `parley turn`: the relay process. The composition root of turn/: the only place that reads
 * process.env and handles signals. Settings: defaults < --config file (.json/.yaml) < PARLEY_TURN_* env.
 */
const HELP = `usage: parley turn [--config FILE] [--print-config-reference]

Runs the TURN relay. Every setting has a default and a PARLEY_TURN_* environment variable;
--print-config-reference lists them all.
`;

export async function runTurn(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  if (argv.includes('--print-config-reference')) {
    process.stdout.write(renderConfigMarkdown('parley turn', TurnConfigSchema, TURN_ENV_PREFIX));
    return;
  }
  const configIndex = argv.indexOf('--config');
  const configFile = configIndex !== -1 ? argv[configIndex + 1] : process.env.PARLEY_TURN_CONFIG_FILE;
  const env = { ...process.env };
  delete env.PARLEY_TURN_CONFIG_FILE;
  let config;
  try {
    const file = configFile ? parseConfigFile(configFile, readFileSync(configFile, 'utf8')) : undefined;
    config = loadConfig(TurnConfigSchema, TURN_ENV_PREFIX, { env, file });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`parley turn: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const turn = await startTurnServer({ loadedConfig: config });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`parley turn: ${signal}, stopping\n`);
    turn.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
