/**
 * @parley/server — the signaling broker. Folder rules (see each folder's header):
 *  main.ts          composition root of `parley signal`: the only place that reads process.env or handles signals
 *  signal-server.ts startSignalServer(): wires everything below (also used by tests, `parley up`, benchmarks)
 *  config/          zod schema = single source of truth; loader merges defaults < file < env, freezes
 *  transport/       the only uWebSockets.js importer: listener, HTTP adapter, WebSocket endpoint
 *  http/            REST routes as plain request → response functions
 *  auth/            the only jose importer: JWT → identity and grants; token minting; TURN credentials
 *  wire/            decoding/validating client frames, encoding server frames
 *  ratelimit/       pure token buckets, clock passed in
 *  session/         per-connection state machine and dispatch table; talks to a PeerSocket interface
 *  rooms/           room domain and lifecycle; no I/O, no clock of its own
 *  cluster/         where rooms and peers are, behind one interface (local now, Redis later)
 *  admin/           admin API, history, TURN node polling, OpenAPI document
 *  webhooks/        signed, retried, bounded lifecycle event delivery
 *  observability/   every metric, child-logger helpers
 *  time/            the Clock port: system clock and a fake one for tests
 */
export { startSignalServer, type SignalServer, type StartSignalServerOptions } from './signal-server.js';
export { SignalConfigSchema, SIGNAL_ENV_PREFIX, loadSignalConfig, type SignalConfig, type SignalConfigInput } from './config/index.js';
export { createTokenMinter, signingKeyOf, type MintTokenOptions, type MintedToken } from './auth/index.js';
export { systemClock, FakeClock, type Clock, type TimerHandle } from './time/index.js';
export { UwsNotNativeError, WS_SUBPROTOCOL } from './transport/index.js';
export { buildOpenApiDocument } from './admin/index.js';
export { signWebhookBody, verifyWebhookSignature } from './webhooks/index.js';
export { SERVER_VERSION } from './version.js';
export type { Logger } from '@parley/runtime';
