import { ConfigError } from '@parley/runtime';
import { startSignalServer } from './signal-server.js';
import { UwsNotNativeError } from './transport/index.js';

/**
 * `parley signal`: the composition root of a production signal node. The only place that reads
 * process.env and handles process signals. SIGTERM (and SIGINT) drain: /readyz turns false,
 * peers are told to reconnect elsewhere, and the process exits once empty or at the deadline.
 */
export async function runSignal(argv: readonly string[]): Promise<void> {
  const configFile = optionValue(argv, '--config');
  let server;
  try {
    server = await startSignalServer({ env: process.env, configFile });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UwsNotNativeError) {
      process.stderr.write(`parley signal: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const running = server;
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) {
      // A second signal means "now".
      void running.stop().then(() => process.exit(0));
      return;
    }
    shuttingDown = true;
    process.stderr.write(`parley signal: ${signal} received, draining\n`);
    void running
      .drain()
      .then(() => running.stop())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

function optionValue(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  if (index >= 0) return argv[index + 1];
  const inline = argv.find((arg) => arg.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}
