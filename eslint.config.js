// Lint = the layout rules of ../shared/CONVENTIONS.md made checkable, plus typescript-eslint's
// recommended set. Each block names a room and what it may not import or touch.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'net', 'dgram', 'tls', 'http', 'https', 'crypto', 'child_process', 'events', 'stream', 'url', 'util', 'worker_threads'];
const sockets = ['node:net', 'node:dgram', 'node:tls', 'node:http', 'node:https', 'net', 'dgram', 'tls', 'http', 'https'];

/** Builds a no-restricted-imports rule from "pattern → why" pairs. */
function forbid(entries) {
  return [
    'error',
    {
      patterns: entries.map(([group, message]) =>
        group instanceof RegExp ? { regex: group.source, message } : { group: Array.isArray(group) ? group : [group], message },
      ),
    },
  ];
}

/** Everything of @parley/turn except its credentials module. */
const turnInternals = /^@parley\/turn(?!\/credentials$)/;

const processEnv = {
  object: 'process',
  property: 'env',
  message: 'Only a composition root (server/src/main.ts, turn/src/main.ts, cli/src) reads process.env; pass config in.',
};

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/.next/**', '**/coverage/**', 'web/public/**', 'artifacts/**', '**/next-env.d.ts'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-properties': ['error', processEnv],
    },
  },
  // Composition roots, scripts, tests, benchmarks and config files may read the environment.
  {
    files: ['**/main.ts', 'cli/**', 'scripts/**', 'loadtest/**', '**/*.test.ts', '**/test/**', '*.config.*', '**/*.config.*', '**/*.mjs', '**/*.js'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['protocol/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': forbid([[nodeBuiltins, 'protocol/ is shared with browsers: zod only, no node:*']]) },
  },
  {
    files: ['runtime/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': forbid([[sockets, 'runtime/ holds no sockets']]) },
  },
  // ---- server/
  {
    files: ['server/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbid([
        ['uWebSockets.js', 'only server/src/transport/ imports uWebSockets.js'],
        ['jose', 'only server/src/auth/ imports jose'],
        ['ioredis', 'only server/src/cluster/ imports ioredis'],
        ['prom-client', 'every metric lives in server/src/observability/'],
        [turnInternals, 'server/ may import only @parley/turn/credentials'],
      ]),
    },
  },
  {
    files: ['server/src/transport/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbid([
        ['jose', 'only server/src/auth/ imports jose'],
        ['ioredis', 'only server/src/cluster/ imports ioredis'],
        ['prom-client', 'every metric lives in server/src/observability/'],
        [turnInternals, 'server/ may import only @parley/turn/credentials'],
      ]),
    },
  },
  {
    files: ['server/src/auth/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbid([
        ['uWebSockets.js', 'only server/src/transport/ imports uWebSockets.js'],
        ['ioredis', 'only server/src/cluster/ imports ioredis'],
        ['prom-client', 'every metric lives in server/src/observability/'],
        [turnInternals, 'server/ may import only @parley/turn/credentials'],
      ]),
    },
  },
  {
    files: ['server/src/cluster/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbid([
        ['uWebSockets.js', 'only server/src/transport/ imports uWebSockets.js'],
        ['jose', 'only server/src/auth/ imports jose'],
        ['prom-client', 'every metric lives in server/src/observability/'],
      ]),
    },
  },
  {
    files: ['server/src/observability/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbid([
        ['uWebSockets.js', 'only server/src/transport/ imports uWebSockets.js'],
        ['jose', 'only server/src/auth/ imports jose'],
        ['ioredis', 'only server/src/cluster/ imports ioredis'],
      ]),
    },
  },
  {
    // Pure domains: no I/O and no clock of their own (time is passed in).
    files: ['server/src/rooms/**/*.ts', 'server/src/ratelimit/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbid([
        [nodeBuiltins, 'rooms/ and ratelimit/ do no I/O'],
        ['uWebSockets.js', 'no transport here'],
        ['ioredis', 'no Redis here'],
        ['prom-client', 'no metrics here'],
      ]),
      'no-restricted-properties': ['error', processEnv, { object: 'Date', property: 'now', message: 'pass the clock in' }],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'pass a scheduler in' }, { name: 'setInterval', message: 'pass a scheduler in' }],
    },
  },
  // ---- turn/
  {
    files: ['turn/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'turn/src/transport/**', 'turn/src/main.ts'],
    rules: { 'no-restricted-imports': forbid([[sockets, 'only turn/src/transport/ touches sockets']]) },
  },
  {
    files: ['turn/src/stun/**/*.ts', 'turn/src/proto/**/*.ts', 'turn/src/relay/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbid([
        [sockets, 'only turn/src/transport/ touches sockets'],
        ['zod', 'the codec and data plane use no zod'],
        ['pino', 'the codec and data plane do not log'],
        ['prom-client', 'counters are plain numbers exported at scrape time'],
      ]),
      'no-restricted-globals': [
        'error',
        { name: 'JSON', message: 'no JSON in the codec or data plane' },
        { name: 'setTimeout', message: 'no timers in the codec or data plane' },
        { name: 'setInterval', message: 'no timers in the codec or data plane' },
      ],
    },
  },
  {
    files: ['turn/src/auth/**/*.ts', 'turn/src/allocation/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbid([[sockets, 'only turn/src/transport/ touches sockets']]),
      'no-restricted-properties': ['error', processEnv, { object: 'Date', property: 'now', message: 'pass the clock in' }],
    },
  },
  // ---- browser code
  {
    files: ['sdk/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': forbid([[nodeBuiltins, 'the SDK runs in browsers: no node:*']]) },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbid([
        [nodeBuiltins, 'the web client runs in browsers'],
        [['@parley/protocol', '@parley/server', '@parley/turn', '@parley/sdk/*'], 'the reference client uses the SDK public API only (@parley/sdk)'],
      ]),
    },
  },
  {
    files: ['dashboard/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/test/**'],
    rules: {
      'no-restricted-imports': forbid([
        [['ioredis', '@parley/server', '@parley/server/*', '@parley/turn', '@parley/turn/*'], 'the dashboard reads only the admin API'],
      ]),
    },
  },
);
