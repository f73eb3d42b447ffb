// Builds everything `npm start` and the tests serve: TypeScript project references first
// (protocol, runtime, turn, server, cli; incremental by itself), the TURN relay's batched UDP
// addon (turn/native; `npm ci` runs no install scripts here, so it is built here), then every
// workspace that has a
// `build` script of its own (the SDK bundle, the web client, the dashboard). Those bundlers are
// not incremental, so their step is skipped when no source file changed since the last build
// and every output is still there: a second `npm start` starts in seconds, not minutes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(root, 'node_modules', '.cache', 'parley', 'workspace-build.json');
/** Build outputs and caches: never sources. */
const NOT_SOURCES = new Set(['node_modules', 'dist', '.next', 'artifacts', 'coverage', '.parley', 'build']);
const NATIVE_DIR = join(root, 'turn', 'native');
const NATIVE_ADDON = join(NATIVE_DIR, 'build', 'Release', 'udp_batch.node');
/** What each workspace build produces; a missing one forces the build. */
const OUTPUTS = ['sdk/dist', 'web/dist', 'dashboard/.next/BUILD_ID'];

/** Newest modification time, count and total size of the source files under `dir`. */
function scan(dir, acc) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (NOT_SOURCES.has(entry.name) || entry.name.endsWith('.tsbuildinfo')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) scan(path, acc);
    else if (entry.isFile()) {
      const stat = statSync(path);
      acc.newest = Math.max(acc.newest, stat.mtimeMs);
      acc.files++;
      acc.bytes += stat.size;
    }
  }
  return acc;
}

/** Every workspace's sources (the bundles read each other's: web bundles the SDK, the dashboard the protocol). */
function sourceFingerprint() {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const acc = { newest: 0, files: 0, bytes: 0 };
  for (const workspace of workspaces) scan(join(root, workspace), acc);
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.base.json']) {
    const stat = statSync(join(root, file));
    acc.newest = Math.max(acc.newest, stat.mtimeMs);
    acc.bytes += stat.size;
  }
  return `${acc.newest}:${acc.files}:${acc.bytes}`;
}

/**
 * The batched UDP addon, rebuilt when its sources are newer than it. A failed build does not fail
 * the build: the relay falls back to node:dgram (saying so at start), and the tests of the batched
 * path fail with the command that builds it.
 */
function buildNativeAddon(log) {
  const newestSource = Math.max(...['udp_batch.c', 'binding.gyp'].map((file) => statSync(join(NATIVE_DIR, file)).mtimeMs));
  if (existsSync(NATIVE_ADDON) && statSync(NATIVE_ADDON).mtimeMs >= newestSource) {
    log('[build] turn/native addon is up to date');
    return;
  }
  if (process.platform !== 'linux') {
    log(`[build] turn/native addon skipped: it needs Linux (recvmmsg/sendmmsg), this is ${process.platform}; the relay uses node:dgram`);
    return;
  }
  log('[build] turn/native addon (node-gyp)');
  try {
    // node-gyp downloads Node's headers unless told where they are; offline, the installed ones must do.
    const nodePrefix = join(process.execPath, '..', '..');
    const env = { ...process.env };
    if (!env.npm_config_nodedir && existsSync(join(nodePrefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = nodePrefix;
    execFileSync('npm', ['run', 'build:native', '-w', '@parley/turn', '--silent'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const detail = String(error.stderr ?? error.message).trim().split('\n').slice(-5).join('\n');
    log(`[build] turn/native addon NOT built; the relay will use node:dgram. node-gyp needs python3, make and g++ with Node's headers. Its last lines:\n${detail}`);
  }
}

export function build({ log = console.log } = {}) {
  const started = Date.now();
  log('[build] tsc -b');
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-b'], { cwd: root, stdio: 'inherit' });
  buildNativeAddon(log);
  const fingerprint = sourceFingerprint();
  const previous = existsSync(STAMP) ? readFileSync(STAMP, 'utf8') : '';
  if (previous === fingerprint && OUTPUTS.every((output) => existsSync(join(root, output)))) {
    log('[build] workspace bundles are up to date');
  } else {
    log('[build] workspace builds');
    execFileSync('npm', ['run', 'build', '--workspaces', '--if-present'], { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    mkdirSync(join(STAMP, '..'), { recursive: true });
    writeFileSync(STAMP, fingerprint);
  }
  log(`[build] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    build();
  } catch {
    process.exit(1);
  }
}
