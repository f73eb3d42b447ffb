/**
 * `parley dashboard`: the dashboard's composition root, the only dashboard file that reads
 * process.env or handles signals. Configuration: defaults < --config file < PARLEY_DASHBOARD_* env.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, createRootLogger, loadConfig, parseConfigFile, redactConfig } from '@parley/runtime';
import { DASHBOARD_ENV_PREFIX, DashboardConfigSchema } from './config.js';
import { startDashboard } from './start-dashboard.js';

function configFileArgument(argv: readonly string[]): string | undefined {
  const index = argv.indexOf('--config');
  if (index === -1) return undefined;
  const value = argv[index + 1];
  if (value === undefined) throw new ConfigError('--config needs a file name', []);
  return value;
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  let config;
  try {
    const fileName = configFileArgument(argv);
    const file = fileName === undefined ? undefined : parseConfigFile(fileName, readFileSync(fileName, 'utf8'));
    config = loadConfig(DashboardConfigSchema, DASHBOARD_ENV_PREFIX, { env: process.env, file });
  } catch (error) {
    process.stderr.write(`parley dashboard: ${(error as Error).message}\n`);
    process.exit(2);
  }
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  const logger = createRootLogger({ name: 'dashboard', level: config.log.level });
  logger.info({ config: redactConfig(DashboardConfigSchema, config) }, 'effective config');
  const dashboard = await startDashboard({ config, logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    dashboard.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`parley dashboard: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
