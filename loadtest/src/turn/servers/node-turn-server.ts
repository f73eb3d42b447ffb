import { createRequire } from 'node:module';

/** node-turn (the pure-JS npm TURN server) for the benchmark: argv = port, username, password, relay IP. */
const require = createRequire(import.meta.url);
const Turn = require('node-turn') as new (options: Record<string, unknown>) => { start(): void; stop(): void };
const [port, username, password, relayIp] = process.argv.slice(2);
const server = new Turn({
  listeningPort: Number(port),
  listeningIps: ['127.0.0.1'],
  relayIps: [relayIp ?? '127.0.0.2'],
  authMech: 'long-term',
  credentials: { [username!]: password },
  realm: 'parley',
  debugLevel: 'OFF',
  log: () => undefined,
});
server.start();
process.stdout.write(`${JSON.stringify({ ready: true, udpPort: Number(port) })}\n`);
process.on('SIGTERM', () => {
  server.stop();
  process.exit(0);
});
