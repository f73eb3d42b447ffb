import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Secrets `parley up` generates once and keeps, so tokens and TURN credentials survive restarts. */
export interface DevSecrets {
  /** HS256 secret for access tokens. */
  jwtSecret: string;
  /** TURN REST shared secret (signal server and TURN relay). */
  turnSecret: string;
  /** Bearer token between the signal server and TURN nodes' internal API. */
  internalToken: string;
  createdAt: string;
}

export const DEFAULT_DATA_DIR = '.parley';
export const SECRETS_FILE = 'secrets.json';

export function dataDirOf(option: string | undefined, cwd = process.cwd()): string {
  return resolve(cwd, option ?? DEFAULT_DATA_DIR);
}

/** Reads the data directory's secrets, or undefined when there are none yet. */
export function readDevSecrets(dataDir: string): DevSecrets | undefined {
  const file = join(dataDir, SECRETS_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
}

/** The data directory's secrets, generated on first use (directory 0700, file 0600). */
export function ensureDevSecrets(dataDir: string): { secrets: DevSecrets; created: boolean } {
  const existing = readDevSecrets(dataDir);
  if (existing) return { secrets: existing, created: false };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const secrets: DevSecrets = {
    jwtSecret: randomBytes(32).toString('base64url'),
    turnSecret: randomBytes(32).toString('base64url'),
    internalToken: randomBytes(24).toString('base64url'),
    createdAt: new Date().toISOString(),
  };
  const file = join(dataDir, SECRETS_FILE);
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { secrets, created: true };
}
