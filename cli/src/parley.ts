/**
 * The `parley` command: a thin dispatcher to each process's composition root.
 * Rule of this folder: argument parsing and process wiring only; no domain logic.
 * Each command lives in commands/<name>.ts and is loaded only when run.
 */
interface Command {
  summary: string;
  run(argv: string[]): Promise<void>;
}

const COMMANDS: Record<string, Command> = {
  up: { summary: 'start the whole system on embedded defaults (dev secrets in .parley/)', run: async (argv) => (await import('./commands/up.js')).runUp(argv) },
  signal: { summary: 'run the signaling broker (config: PARLEY_SIGNAL_* or --config file)', run: async (argv) => (await import('./commands/signal.js')).runSignalCommand(argv) },
  turn: { summary: 'run the TURN relay (config: PARLEY_TURN_* or --config file)', run: async (argv) => (await import('./commands/turn.js')).runTurnCommand(argv) },
  dashboard: {
    summary: 'run the admin dashboard (config: PARLEY_DASHBOARD_* or --config file)',
    run: async (argv) => (await import('./commands/dashboard.js')).runDashboardCommand(argv),
  },
  token: {
    summary: 'mint an access token: --user U [--room R]... [--create] [--admin] [--direct] [--ttl S]',
    run: async (argv) => (await import('./commands/token.js')).runToken(argv),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}${command.summary}`);
  return `usage: parley <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

const [name, ...rest] = process.argv.slice(2);
if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
  process.stdout.write(usage());
  process.exit(name === undefined ? 1 : 0);
}
const command = COMMANDS[name];
if (!command) {
  process.stderr.write(`parley: unknown command "${name}"\n\n${usage()}`);
  process.exit(1);
}
command.run(rest).catch((error: unknown) => {
  process.stderr.write(`parley ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
