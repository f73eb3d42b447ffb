import { runTurn } from '@parley/turn/main';

/** `parley turn [--config file]`: the relay's own composition root (turn/src/main.ts) does the work. */
export async function runTurnCommand(argv: string[]): Promise<void> {
  await runTurn(argv);
}
