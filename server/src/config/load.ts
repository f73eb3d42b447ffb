import { loadConfig, parseConfigFile } from '@parley/runtime';
import { readFileSync } from 'node:fs';
import { SIGNAL_ENV_PREFIX, SignalConfigSchema, type SignalConfig, type SignalConfigInput } from './schema.js';

/** Environment variable naming a config file (read by loadSignalConfig, not a setting itself). */
export const SIGNAL_CONFIG_FILE_ENV = `${SIGNAL_ENV_PREFIX}CONFIG_FILE`;

export interface LoadSignalConfigInput {
  /** Environment variables; only composition roots pass process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Path of a .json/.yaml config file (default: $PARLEY_SIGNAL_CONFIG_FILE). */
  configFile?: string | undefined;
  /** Programmatic values (tests, `parley up`): win over the file, lose to env. */
  overrides?: SignalConfigInput;
}

/** defaults < file < overrides < env, validated once and deep-frozen. Throws ConfigError. */
export function loadSignalConfig(input: LoadSignalConfigInput = {}): Readonly<SignalConfig> {
  const { [SIGNAL_CONFIG_FILE_ENV]: fileFromEnv, ...env } = input.env ?? {};
  const configFile = input.configFile ?? fileFromEnv;
  const file = configFile ? parseConfigFile(configFile, readFileSync(configFile, 'utf8')) : undefined;
  return loadConfig(SignalConfigSchema, SIGNAL_ENV_PREFIX, { env, file, overrides: input.overrides });
}
