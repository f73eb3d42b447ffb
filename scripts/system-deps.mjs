// Makes sure the Debian tools the test suite drives are present: real Chromium for browser tests,
// coturn's turnutils_* as independent TURN clients (and coturn itself as a benchmark baseline),
// redis-server for cluster tests, promtool to lint /metrics. Installs them with apt-get when this
// process may (root, or passwordless sudo); otherwise fails with the exact command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SYSTEM_DEPENDENCIES = [
  { binary: '/usr/bin/chromium', pkg: 'chromium', why: 'headless browser tests (playwright-core drives Debian chromium)' },
  { binary: '/usr/bin/turnutils_uclient', pkg: 'coturn', why: "coturn's turnutils_uclient/turnutils_stunclient as independent TURN clients" },
  { binary: '/usr/bin/redis-server', pkg: 'redis-server', why: 'cluster tests against a real Redis' },
  { binary: '/usr/bin/promtool', pkg: 'prometheus', why: 'promtool check metrics on /metrics output' },
  { binary: '/usr/bin/make', pkg: 'make', why: "node-gyp builds the TURN relay's batched UDP addon (turn/native)" },
  { binary: '/usr/bin/g++', pkg: 'g++', why: "node-gyp builds the TURN relay's batched UDP addon (turn/native)" },
  { binary: '/usr/bin/python3', pkg: 'python3', why: 'node-gyp runs on python3' },
];

function canRunAsRoot() {
  if (process.getuid?.() === 0) return { ok: true, prefix: [] };
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return sudo.status === 0 ? { ok: true, prefix: ['sudo', '-n'] } : { ok: false, prefix: [] };
}

export function missingSystemDependencies() {
  return SYSTEM_DEPENDENCIES.filter((dep) => !existsSync(dep.binary));
}

export function ensureSystemDependencies({ log = console.log } = {}) {
  const missing = missingSystemDependencies();
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((dep) => dep.pkg))];
  const command = `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  const root = canRunAsRoot();
  if (!root.ok) {
    const lines = missing.map((dep) => `  - ${dep.pkg} (${dep.binary}): ${dep.why}`);
    throw new Error(`the test suite needs Debian packages that are not installed:\n${lines.join('\n')}\ninstall them with:\n  sudo ${command}`);
  }
  log(`[system-deps] installing ${packages.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => {
    const [cmd, ...rest] = [...root.prefix, ...args];
    execFileSync(cmd, rest, { stdio: 'inherit', env });
  };
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', ...packages]);
  const still = missingSystemDependencies();
  if (still.length > 0) {
    throw new Error(`apt-get finished but these are still missing: ${still.map((dep) => dep.binary).join(', ')}; run: sudo ${command}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureSystemDependencies();
    console.log('[system-deps] all present');
  } catch (error) {
    console.error(`[system-deps] ${error.message}`);
    process.exit(1);
  }
}
