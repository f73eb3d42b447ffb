// Builds everything `npm start` and the tests serve: TypeScript project references first
// (protocol, runtime, turn, server, cli), then every workspace that has a `build` script of its
// own (the web client bundle, the dashboard).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export function build({ log = console.log } = {}) {
  const started = Date.now();
  log('[build] tsc -b');
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-b'], { cwd: root, stdio: 'inherit' });
  log('[build] workspace builds');
  execFileSync('npm', ['run', 'build', '--workspaces', '--if-present'], { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  log(`[build] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    build();
  } catch {
    process.exit(1);
  }
}
