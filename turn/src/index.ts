/**
 * @parley/turn — the TURN relay. Folder rules (see each folder's header):
 *  stun/, proto/   pure codec: no sockets, timers, logger, zod or JSON; decode never throws
 *  auth/           ephemeral credentials, stateless nonces; pure, clock passed in
 *  allocation/     allocations, permissions, channels; no sockets
 *  handlers/       control plane, one file per TURN method; replies through a port
 *  relay/          data plane: no JSON, zod, await, per-packet objects or logs
 *  transport/      the only dgram/net/tls importer; stream framing; relay port pool
 *  observability/  every metric and the /v1/status document
 *  credentials.ts  the one module server/ may import
 *  server.ts       composition: startTurnServer; main.ts is the process entry (`parley turn`)
 */
export * from './credentials.js';
export { startTurnServer, type StartTurnServerOptions, type TurnServer } from './server.js';
export { TurnConfigSchema, TURN_ENV_PREFIX, type TurnConfig, type TurnConfigInput } from './config.js';
export { TURN_VERSION } from './version.js';
