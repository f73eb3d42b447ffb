/**
 * @parley/loadtest — load tests and benchmarks. Rule of this folder: nothing here ships in a
 * server; it drives servers from the outside over real sockets, exactly as clients would.
 *  common/            histograms, round summaries, tables, pinned child processes: shared by every bench
 *  signal/client/     the lean WebSocket client, one simulated peer, the delivery ledger
 *  signal/brokers/    what the signaling bench compares Parley with (ws baseline, uWS echo) and the
 *                     child-process entry that runs any broker pinned to a core
 *  signal/scenarios/  join storm, steady rooms, reconnect storm, TURN credential API
 *  signal/bench/      `npm run bench:signal`
 *  (turn/ and `bench:turn` belong to the TURN relay's benchmark.)
 * The k6 scripts in ../k6 drive a deployment with the same scenarios and messages (signal/wire.ts).
 */
export * from './common/histogram.js';
export * from './common/summary.js';
export * from './common/format.js';
export * from './signal/wire.js';
export * from './signal/target.js';
export * from './signal/client/hs256.js';
export * from './signal/client/ledger.js';
export * from './signal/client/lean-websocket.js';
export * from './signal/client/signal-peer.js';
export * from './signal/brokers/ws-baseline.js';
export * from './signal/brokers/uws-echo.js';
export * from './signal/scenarios/population.js';
export * from './signal/scenarios/join-storm.js';
export * from './signal/scenarios/steady-rooms.js';
export * from './signal/scenarios/reconnect-storm.js';
export * from './signal/scenarios/turn-credentials.js';
export * from './common/cpu-pinning.js';
export * from './common/cpu-time.js';
export * from './common/machine.js';
export * from './signal/brokers/start-broker.js';
export * from './signal/brokers/broker-child.js';
export * from './signal/bench/run-signal-bench.js';
export * from './signal/bench/report.js';
