// What Node itself costs under Parley's TURN relay: server CPU per client-to-client packet
// (100 B) at one fixed offered rate for
//   forwarder         a bare dgram forwarder: each datagram re-sent to its partner as it came
//   forwarder-list    the same, re-sent as a list: a 4-byte header and the payload (how Parley
//                     sends ChannelData to UDP clients)
//   forwarder-copy    the same, header and payload copied into one new buffer first
//   forwarder-mmsg    the plain forwarder on batched I/O: recvmmsg/sendmmsg through the
//                     turn/native addon (build it first: npm run build:native -w @parley/turn)
//   parley            Parley's relay, hairpin on (one receive and one send per packet, like the forwarders)
//   parley-no-hairpin Parley's relay, hairpin off (two receives and two sends)
//   coturn            coturn 4.6, --relay-threads=1 (two receives and two sends)
// Each server pinned to CPU 1, this client to CPU 0, interleaved 3 s windows (first round warm-up).
// Run after `npm run build` (or `tsc -b loadtest`), under the benchmark lock:
//   flock /tmp/parley-bench.lock node loadtest/scripts/turn-node-floor.mjs
// RATE=30000 ROUNDS=6 KINDS=forwarder,forwarder-list,parley,parley-no-hairpin,coturn
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const HELLO = 0xff;

if (process.argv[2] === '--forwarder' && process.argv[4] === 'mmsg') {
  // Child mode: the same forwarder on the relay's batched I/O addon (recvmmsg/sendmmsg).
  const [, , , port] = process.argv;
  const { createRequire } = await import('node:module');
  let native;
  try {
    native = createRequire(import.meta.url)('../../turn/native/build/Release/udp_batch.node');
  } catch (error) {
    process.stderr.write(`forwarder-mmsg needs the turn/native addon: run \`npm run build:native -w @parley/turn\` (python3, make and g++ with Node's headers) (${error.message})\n`);
    process.exit(1);
  }
  const rxMeta = new Int32Array(64 * 8);
  const txMeta = new Int32Array(256 * 9);
  const txData = new Uint8Array(256 * 2048);
  native.init(rxMeta, txMeta, txData);
  const partner = new Map();
  let fd = -1;
  let queued = 0;
  let txOffset = 0;
  const [handle, boundFd] = native.open(4, '127.0.0.1', Number(port), 4 << 20, (batch, count) => {
    for (let i = 0; i < count; i++) {
      const m = i * 8;
      const offset = rxMeta[m], length = rxMeta[m + 1], fromPort = rxMeta[m + 2];
      if (length === 6 && batch[offset] === HELLO) {
        const other = batch.readUInt16BE(offset + 2);
        partner.set(fromPort, other);
        partner.set(other, fromPort);
        queue(batch, offset, length, fromPort, rxMeta[m + 4]);
        continue;
      }
      const to = partner.get(fromPort);
      if (to !== undefined) queue(batch, offset, length, to, rxMeta[m + 4]);
    }
    native.flush(queued);
    queued = 0;
    txOffset = 0;
  });
  fd = boundFd;
  function queue(batch, offset, length, toPort, address) {
    const m = queued * 9;
    txData.set(batch.subarray(offset, offset + length), txOffset);
    txMeta[m] = fd; txMeta[m + 1] = txOffset; txMeta[m + 2] = length; txMeta[m + 3] = toPort; txMeta[m + 4] = 4; txMeta[m + 5] = address;
    txOffset += length;
    queued++;
  }
  native.start(handle);
  process.stdout.write('{"ready":true}\n');
  process.on('SIGTERM', () => process.exit(0));
} else if (process.argv[2] === '--forwarder') {
  // Child mode: the forwarder itself. A 6-byte hello [0xff, 0, port] pairs its sender with `port`.
  const [, , , port, mode] = process.argv;
  const socket = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20, lookup: (address, _options, callback) => callback(null, address, 4) });
  const partner = new Map();
  const header = Buffer.alloc(4);
  socket.on('message', (datagram, remote) => {
    if (datagram.length === 6 && datagram[0] === HELLO) {
      const other = datagram.readUInt16BE(2);
      partner.set(remote.port, other);
      partner.set(other, remote.port);
      socket.send(datagram, remote.port, remote.address);
      return;
    }
    const to = partner.get(remote.port);
    if (to === undefined) return;
    if (mode === 'list') {
      header.set(datagram.subarray(0, 4));
      socket.send([header, datagram.subarray(4)], to, remote.address);
    } else if (mode === 'copy') {
      const out = Buffer.allocUnsafe(datagram.length);
      out.set(datagram.subarray(0, 4));
      datagram.copy(out, 4, 4);
      socket.send(out, to, remote.address);
    } else socket.send(datagram, to, remote.address);
  });
  socket.bind(Number(port), '127.0.0.1', () => process.stdout.write('{"ready":true}\n'));
  process.on('SIGTERM', () => process.exit(0));
} else {
  await main();
}

async function main() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { LoadTurnClient } = await import(join(root, 'dist/turn/load-client.js'));
  const { turnPassword } = await import('@parley/turn/credentials');
  const { processCpuSeconds: cpuSeconds } = await import(join(root, 'dist/common/cpu-time.js'));
  execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
  const RATE = Number(process.env.RATE ?? 30_000);
  const ROUNDS = Number(process.env.ROUNDS ?? 6);
  const WINDOW_MS = 3000;
  const PAIRS = 8;
  const SECRET = 'floor-secret';
  const kinds = (process.env.KINDS ?? 'forwarder,forwarder-list,parley,parley-no-hairpin,coturn').split(',');
  const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const freePort = () => new Promise((resolve) => { const s = createSocket('udp4'); s.bind(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });

  async function start(kind) {
    const port = await freePort();
    if (kind === 'coturn') {
      const directory = mkdtempSync(join(tmpdir(), 'parley-floor-coturn-'));
      const child = spawn('taskset', ['-c', '1', 'turnserver', '-n', '--no-cli', '--no-tls', '--no-dtls', '--no-tcp', '--no-stdout-log', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.4', `--listening-port=${port}`, '--use-auth-secret', `--static-auth-secret=${SECRET}`, '--realm=parley', '--allow-loopback-peers', '--relay-threads=1', '--min-port=50000', '--max-port=60000', `--log-file=${join(directory, 'log')}`, `--pidfile=${join(directory, 'pid')}`], { stdio: 'ignore' });
      await delay(1500);
      return { child, port, cleanup: () => rmSync(directory, { recursive: true, force: true }) };
    }
    const args = kind.startsWith('parley')
      ? [join(root, 'dist/turn/servers/parley-server.js'), String(port), SECRET, kind === 'parley' ? '127.0.0.2' : '127.0.0.3', kind === 'parley' ? 'on' : 'off']
      : [SELF, '--forwarder', String(port), kind === 'forwarder-list' ? 'list' : kind === 'forwarder-copy' ? 'copy' : kind === 'forwarder-mmsg' ? 'mmsg' : 'single'];
    const child = spawn('taskset', ['-c', '1', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout.on('data', (chunk) => String(chunk).includes('"ready":true') && resolve()));
    return { child, port, cleanup: () => undefined };
  }

  async function openPairs(kind, port) {
    const pairs = [];
    for (let i = 0; i < PAIRS; i++) {
      if (kind.startsWith('forwarder')) {
        const bind = () => new Promise((resolve) => { const s = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 }); s.bind(0, '127.0.0.1', () => resolve(s)); });
        const a = await bind();
        const b = await bind();
        const pair = { received: 0, tag: 0, send: (packet) => a.send(packet, port, '127.0.0.1'), close: () => { a.close(); b.close(); } };
        b.on('message', (datagram) => { if (datagram.length >= 8 && datagram.readUInt32BE(4) === pair.tag) pair.received++; });
        const hello = Buffer.alloc(6);
        hello[0] = HELLO;
        hello.writeUInt16BE(b.address().port, 2);
        await new Promise((resolve) => { a.once('message', resolve); a.send(hello, port, '127.0.0.1'); });
        pairs.push({ reset: (tag) => { pair.received = 0; pair.tag = tag; }, count: () => pair.received, send: pair.send, close: pair.close });
      } else {
        const username = `${Math.floor(Date.now() / 1000) + 3600}:floor`;
        const credentials = { username, password: turnPassword(SECRET, username) };
        const a = await LoadTurnClient.open(port, '127.0.0.1', credentials);
        const b = await LoadTurnClient.open(port, '127.0.0.1', credentials);
        const relayedA = await a.allocate();
        const relayedB = await b.allocate();
        await a.channelBind(0x4000, relayedB);
        await b.channelBind(0x4000, relayedA);
        pairs.push({ reset: (tag) => { b.received = 0; b.trialTag = tag; }, count: () => b.received, send: (packet) => a.sendRaw(packet), close: () => { a.close(); b.close(); } });
      }
    }
    return pairs;
  }

  let tagCounter = 0;
  async function window(server) {
    const tag = ++tagCounter;
    const packet = LoadTurnClient.channelDataPacket(0x4000, 100);
    packet.writeUInt32BE(tag, 4);
    for (const pair of server.pairs) pair.reset(tag);
    const cpuBefore = cpuSeconds(server.child.pid);
    const started = performance.now();
    let sent = 0;
    await new Promise((resolve) => {
      const tick = () => {
        const elapsed = performance.now() - started;
        if (elapsed >= WINDOW_MS) return resolve();
        const due = Math.floor((elapsed * RATE) / 1000);
        while (sent < due) server.pairs[sent++ % PAIRS].send(packet);
        setImmediate(tick);
      };
      tick();
    });
    await delay(700);
    const received = server.pairs.reduce((sum, pair) => sum + pair.count(), 0);
    return { micros: ((cpuSeconds(server.child.pid) - cpuBefore) * 1e6) / received, loss: (sent - received) / sent };
  }

  const servers = [];
  try {
    for (const kind of kinds) {
      const running = await start(kind);
      servers.push({ kind, ...running, pairs: await openPairs(kind, running.port), samples: [] });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of [...servers].sort(() => Math.random() - 0.5)) {
        const result = await window(server);
        if (round > 0) server.samples.push(result);
      }
    }
    const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
    console.log(`Server CPU per client-to-client packet (100 B) at ${RATE}/s offered, median of ${ROUNDS - 1} interleaved ${WINDOW_MS / 1000} s windows:`);
    const coturn = servers.find((server) => server.kind === 'coturn');
    const coturnMicros = coturn ? median(coturn.samples.map((sample) => sample.micros)) : undefined;
    for (const server of servers) {
      const micros = median(server.samples.map((sample) => sample.micros));
      const versus = coturnMicros ? `, ${(coturnMicros / micros).toFixed(2)}× coturn per CPU` : '';
      console.log(`  ${server.kind.padEnd(18)} ${micros.toFixed(1)} µs (windows ${server.samples.map((sample) => sample.micros.toFixed(1)).join(' ')}; worst loss ${(Math.max(...server.samples.map((sample) => sample.loss)) * 100).toFixed(2)} %)${versus}`);
    }
  } finally {
    for (const server of servers) {
      for (const pair of server.pairs) pair.close();
      server.child.kill('SIGTERM');
      server.cleanup();
    }
  }
  setTimeout(() => process.exit(0), 300);
}
