import { main } from '@parley/dashboard/main';

/** `parley dashboard [--config file]`: the dashboard's own composition root does the work. */
export async function runDashboardCommand(argv: string[]): Promise<void> {
  await main(argv);
}
