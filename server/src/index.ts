/**
 * @parley/server — the signaling broker. Folder rules (see each folder's header):
 *  main.ts         composition root: the only place that reads process.env or handles signals
 *  config/         zod schema = single source of truth; loader merges defaults < file < env, freezes
 *  transport/      the only uWebSockets.js importer: HTTP routes, WS upgrade/open/message/close
 *  auth/           the only jose importer: JWT → claims/grants; TURN credential minting
 *  ratelimit/      pure token buckets, clock passed in
 *  session/        per-connection state machine and dispatch table; talks to a PeerSocket interface
 *  rooms/          room domain and lifecycle; no I/O, no clock of its own
 *  cluster/        local and Redis implementations behind one interface; the only ioredis importer
 *  admin/          admin API handlers
 *  observability/  root logger, child-logger helpers, every metric
 */
export {};
