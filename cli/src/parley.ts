/**
 * The `parley` command: a thin dispatcher to each process's composition root.
 * Rule of this folder: argument parsing and process wiring only; no domain logic.
 */
const USAGE = `usage: parley <command> [options]

commands:
  up          start the whole system on embedded defaults (signal, turn, dashboard)
  signal      run the signaling broker
  turn        run the TURN relay
  dashboard   run the admin dashboard
  token       mint an access token: --user U [--room R] [--admin] [--ttl S]
`;

const [command] = process.argv.slice(2);
if (command === undefined || command === '--help' || command === '-h') {
  process.stdout.write(USAGE);
  process.exit(command === undefined ? 1 : 0);
}

// ---- parley turn: the TURN relay (turn/src/main.ts)
if (command === 'turn') {
  const { runTurn } = await import('@parley/turn/main');
  await runTurn(process.argv.slice(3));
} else {
  process.stderr.write(`parley: unknown command "${command}"\n\n${USAGE}`);
  process.exit(1);
}
