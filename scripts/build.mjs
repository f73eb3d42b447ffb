// Builds everything `npm start` and the tests serve: TypeScript project references first
// (protocol, runtime, turn, server, cli; incremental by itself), then every workspace that has a
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
const NOT_SOURCES = new Set(['node_modules', 'dist', '.next', 'artifacts', 'coverage', '.parley']);
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

export function build({ log = console.log } = {}) {
  const started = Date.now();
  log('[build] tsc -b');
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-b'], { cwd: root, stdio: 'inherit' });
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
