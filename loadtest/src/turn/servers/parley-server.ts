import { startTurnServer } from '@parley/turn';

/** Parley's relay for the benchmark: argv = port, secret, relay IP, hairpin (on|off), UDP I/O (batched|dgram). Limits opened up; loopback peers allowed. */
const [port, secret, relayIp, hairpin, udpIo] = process.argv.slice(2);
const turn = await startTurnServer({
  config: {
    listen: { hosts: ['127.0.0.1'], udpPort: Number(port), tcpPort: Number(port), tcp: false },
    relay: { ips: [relayIp ?? '127.0.0.2'], hairpin: hairpin !== 'off' },
    http: { host: '127.0.0.1', port: 0 },
    auth: { secrets: [secret ?? 'bench'] },
    policy: { allowPeers: ['127.0.0.0/8'] },
    quotas: { allocationsPerUser: 100_000, totalAllocations: 100_000, allocationBytesPerSecond: 0, userBytesPerSecond: 0, totalBytesPerSecond: 0 },
    log: { level: 'warn' },
    udpIo: udpIo === 'dgram' ? 'dgram' : 'batched',
  },
});
process.stdout.write(`${JSON.stringify({ ready: true, udpPort: turn.udpPort })}\n`);
process.on('SIGTERM', () => {
  turn.stop().then(() => process.exit(0));
});
