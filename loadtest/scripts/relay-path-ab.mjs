// A/B of the broker's JavaScript relay path: CPU time per `signal` through SessionManager.onFrame
// (decode, limits, dispatch, room checks, frame building, delivery, replay log), no sockets: a
// fake PeerSocket counts what would be sent. Reaches into a server build's internals by path, so
// two builds (before/after a change) can be compared in one sitting, alternating:
//   node loadtest/scripts/relay-path-ab.mjs /path/to/old/server/dist before
//   node loadtest/scripts/relay-path-ab.mjs server/dist after
// REPLAY_FRAMES=<n> overrides session.replayFrames (default 64). Figures: docs/benchmarks.md.
import { Grants } from '@parley/protocol';
import { createRootLogger } from '@parley/runtime';
const dist = process.argv[2];
const label = process.argv[3] ?? dist;
const { SessionManager } = await import(`${dist}/session/session-manager.js`);
const { LocalCluster } = await import(`${dist}/cluster/local-cluster.js`);
const { SignalMetrics } = await import(`${dist}/observability/metrics.js`);
const { loadSignalConfig } = await import(`${dist}/config/index.js`);
const { createTurnIssuer } = await import(`${dist}/auth/turn-issuer.js`);
const { systemClock } = await import(`${dist}/time/clock.js`);
const config = loadSignalConfig({ env: {}, overrides: {
  session: { replayFrames: Number(process.env.REPLAY_FRAMES ?? 64) }, log: { level: 'warn' }, auth: { hs256Secrets: ['x'.repeat(32)] },
  limits: { messagesPerSecond: 1e6, messagesBurst: 1e6, bytesPerSecond: 1e9, bytesBurst: 1e9, joinsPerMinute: 100000, connectionsPerUser: 1000, connectionsPerIp: 1e6 },
  turn: { secrets: ['y'.repeat(24)], urls: ['turn:127.0.0.1:3478?transport=udp'] } } });
const clock = systemClock;
const logger = createRootLogger({ name: 'bench', level: 'warn' });
const metrics = new SignalMetrics({ nodeId: 'n', version: '0', uwsNative: true, defaultMetrics: false });
const cluster = new LocalCluster({ nodeId: 'n', clock, roomDefaults: config.rooms, stateLimits: { maxKeys: config.limits.maxStateKeys, maxBytes: config.limits.maxStateBytes } });
const sessions = new SessionManager({ config, clock, cluster, metrics, turn: createTurnIssuer(config.turn, clock), logger });
let delivered = 0;
const socket = () => ({ remoteAddress: '127.0.0.1', isOpen: true, send(frame) { delivered += frame.length > 0 ? 1 : 0; return 'sent'; }, cork(fn) { fn(); }, close() {} });
const grants = Grants.parse({ rooms: ['*'], create: true });
const open = (user) => sessions.open(socket(), { userId: user, grants, expiresAt: Math.floor(Date.now() / 1000) + 3600 }, { session: undefined, requested: false });
const a = open('alice'), b = open('bob');
// Builds before the byte path took the frame as text plus its byte length; later ones take the bytes.
const takesText = SessionManager.prototype.onFrame.length === 4;
const flat = (text) => (takesText ? Buffer.from(text).toString('utf8') : Buffer.from(text));
const deliverFrame = takesText ? (s, f) => sessions.onFrame(s, f, f.length, false) : (s, f) => sessions.onFrame(s, f, false);
for (const [s, rid] of [[a, 1], [b, 2]]) { deliverFrame(s, flat(`{"type":"room.join","rid":${rid},"room":"room-17"}`)); await new Promise((r) => setTimeout(r, 20)); }
const sdp = 'v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\na=group:BUNDLE 0 1\\r\\na=extmap-allow-mixed\\r\\na=msid-semantic: WMS\\r\\nm=audio 9 UDP/TLS/RTP/SAVPF 111';
const frames = [0, 1, 2, 3].map((i) => flat(`{"type":"signal","room":"room-17","to":"${b.peerId}","payload":{"lt":"0000012.000000000${i}.0000123456789","kind":"offer","sdp":"${sdp}"}}`));
console.assert(frames[0].length > 280 && frames[0].length < 320, frames[0].length);
function cpuNs() { const u = process.cpuUsage(); return (u.user + u.system) * 1000; }
const n = 200_000; let best = Infinity;
for (let round = 0; round < 7; round++) {
  const before = delivered; const t0 = cpuNs();
  for (let i = 0; i < n; i++) deliverFrame(a, frames[i & 3]);
  const per = (cpuNs() - t0) / n; best = Math.min(best, per);
  if (delivered - before !== n) throw new Error(`delivered ${delivered - before} of ${n}`);
}
console.log(`${label.padEnd(6)} ${best.toFixed(0)} ns CPU per relayed signal (best of 7 × ${n})`);
