// Heap per idle Parley connection, itemized: a broker child (npm run build first), heap snapshots
// before and after N idle connections (default 2000), and the objects that are new in the second,
// grouped by kind. Snapshots go to /tmp/lt-s0.heapsnapshot and /tmp/lt-s1.heapsnapshot.
//   node loadtest/scripts/heap-per-connection.mjs [connections]
// Figures: docs/benchmarks.md ("Memory per idle connection").
import { readFileSync } from 'node:fs';
import { spawnBroker, parleyTarget, SignalPeer, Ledger, populate } from '../dist/index.js';
import { randomBytes } from 'node:crypto';
const N = Number(process.argv[2] ?? 2000);
const kind = process.argv[3] ?? 'parley';
const secrets = { hs256Secret: randomBytes(32).toString('base64url'), turnSecret: randomBytes(24).toString('base64url') };
const broker = await spawnBroker({ kind, options: secrets });
const target = parleyTarget({ wsOrigin: `ws://127.0.0.1:${broker.port}`, httpOrigin: `http://127.0.0.1:${broker.port}`, hs256Secret: secrets.hs256Secret });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const warm = await populate({ target, layout: { rooms: 50, peersPerRoom: [2] }, verify: 'fast', runId: 'w' });
await warm.close(); await sleep(500);
const m0 = await broker.memory();
const s0 = await broker.heapSnapshot('/tmp/lt-s0.heapsnapshot');
const ledger = new Ledger();
const peers = Array.from({ length: N }, (_, index) => new SignalPeer({ target, index, userId: `i-u${index}`, ledger, verify: 'fast' }));
for (let i = 0; i < peers.length; i += 200) await Promise.all(peers.slice(i, i + 200).map((p) => p.connect()));
await sleep(1000);
const m1 = await broker.memory();
const s1 = await broker.heapSnapshot('/tmp/lt-s1.heapsnapshot');
console.log('problems', ledger.problems.total, 'rss/conn', ((m1.rssBytes - m0.rssBytes) / N).toFixed(0), 'heap/conn', ((m1.heapUsedBytes - m0.heapUsedBytes) / N).toFixed(0), 'ext/conn', ((m1.externalBytes - m0.externalBytes) / N).toFixed(0));
for (const p of peers) p.drop();
await broker.stop();
function load(path) {
  const snap = JSON.parse(readFileSync(path, 'utf8'));
  const f = snap.snapshot.meta.node_fields; const types = snap.snapshot.meta.node_types[0];
  const w = f.length; const n = snap.nodes; const out = new Map();
  const it = f.indexOf('type'), iname = f.indexOf('name'), iid = f.indexOf('id'), isz = f.indexOf('self_size');
  for (let i = 0; i < n.length; i += w) out.set(n[i + iid], [types[n[i + it]], snap.strings[n[i + iname]], n[i + isz]]);
  return out;
}
const a = load(s0), b = load(s1);
const groups = new Map(); let total = 0;
for (const [id, [type, name, size]] of b) {
  if (a.has(id)) continue;
  const key = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? `${type}` : `${type}:${name.slice(0, 60)}`;
  const g = groups.get(key) ?? [0, 0]; g[0] += size; g[1]++; groups.set(key, g); total += size;
}
console.log('new heap bytes per conn', (total / N).toFixed(0));
for (const [k, [size, count]] of [...groups].sort((x, y) => y[1][0] - x[1][0]).slice(0, 40)) console.log((size / N).toFixed(1).padStart(8), (count / N).toFixed(2).padStart(7), k);
