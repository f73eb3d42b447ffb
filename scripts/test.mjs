// `npm test`: everything, in the order that fails fastest with the clearest reason.
//   1. system packages the suites drive (installed with apt-get when possible)
//   2. build (integration tests run the built `parley` CLI and serve the built web client)
//   3. lint: import rules of CONVENTIONS.md
//   4. type check of the Node-side test files (tsconfig.tests.json; the builds exclude them)
//   5. vitest: unit then integration projects
// Extra arguments go to vitest (`npm test -- turn/` runs only matching files).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';
import { ensureSystemDependencies } from './system-deps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitestArgs = process.argv.slice(2);

function step(name, fn) {
  const started = Date.now();
  console.log(`\n=== ${name}`);
  try {
    fn();
  } catch (error) {
    console.error(`\n[test] ${name} failed: ${error.message}`);
    process.exit(1);
  }
  console.log(`=== ${name}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

step('system packages', () => ensureSystemDependencies());
step('build', () => build());
step('lint', () => run(process.execPath, [`${root}/node_modules/eslint/bin/eslint.js`, '.']));
step('type-check tests', () => run(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.tests.json']));
step('tests', () => run(process.execPath, [`${root}/node_modules/vitest/vitest.mjs`, 'run', ...vitestArgs]));
