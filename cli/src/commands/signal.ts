import { runSignal } from '@parley/server/main';

/** `parley signal [--config file]`: the signal server's own composition root does the work. */
export async function runSignalCommand(argv: string[]): Promise<void> {
  await runSignal(argv);
}
