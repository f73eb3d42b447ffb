import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@parley/test-support';
import type { RelaySocket } from '../allocation/ports.js';
import { RelayPortPool } from './relay-port-pool.js';
import type { UdpIoKind } from './datagram-socket.js';
import { UDP_IO_KINDS, udpIoFor } from '../../test/udp-io.js';

/**
 * Relay ports for these tests: a small range on 127.0.0.1 so that reuse and exhaustion are visible.
 * It lies below Linux's ephemeral range (32768-60999) and the relay's default range (49152-65535),
 * where the port-0 sockets and relays of test files running alongside bind: a port one of them
 * holds fails to bind here and stays marked as used for a while, which would upset the counts.
 */
const MIN_PORT = 20_000 + Math.floor(Math.random() * 10_000);

/** Closed after each test; closing a pool or a lease twice is harmless, so tests may close earlier. */
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

let ioKind: UdpIoKind = 'dgram';

function pool(recycledSocketsPerFamily: number, span = 64): RelayPortPool {
  const ports = new RelayPortPool({
    bindAddresses: { 4: '127.0.0.1' },
    minPort: MIN_PORT,
    maxPort: MIN_PORT + span - 1,
    recycledSocketsPerFamily,
    io: udpIoFor(ioKind),
    onSendFailed: () => undefined,
  });
  cleanup.push(() => ports.close());
  return ports;
}

async function open(ports: RelayPortPool, evenPort = false): Promise<RelaySocket> {
  const result = await ports.open({ family: 4, evenPort, reserveNext: false });
  if (!result.ok) throw new Error(`no relay socket: ${result.reason}`);
  return result.socket;
}

async function peer(): Promise<{ socket: Socket; port: number; received: Buffer[] }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const received: Buffer[] = [];
  socket.on('message', (datagram) => received.push(datagram));
  cleanup.push(() => socket.close());
  return { socket, port: socket.address().port, received };
}

/** True when a fresh socket can bind the port (nobody holds it any more). */
async function canBind(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => {
      socket.close();
      resolve(true);
    });
  });
}

describe.each(UDP_IO_KINDS)('relayed socket recycling over %s I/O', (kind) => {
  beforeEach(() => {
    ioKind = kind;
  });

  it('hands a socket released by one allocation to the next one, and the old lease neither sends nor receives', async () => {
    const ports = pool(8);
    const a = await peer();
    const first = await open(ports);
    const firstReceived: string[] = [];
    first.setReceiver((datagram) => firstReceived.push(datagram.toString()));
    first.close();
    expect(ports.recycledSockets).toBe(1);

    const second = await open(ports);
    expect(second.port).toBe(first.port);
    expect(ports.recycledSockets).toBe(0);
    const secondReceived: { data: string; port: number }[] = [];
    second.setReceiver((datagram, _address, port) => secondReceived.push({ data: datagram.toString(), port }));

    // The stale lease: its sends go nowhere and it cannot take the receiver back.
    first.send(Buffer.from('from the old lease'), a.port, '127.0.0.1');
    first.setReceiver((datagram) => firstReceived.push(`stolen ${datagram.toString()}`));
    second.send(Buffer.from('from the new lease'), a.port, '127.0.0.1');
    await waitFor(() => a.received.find((datagram) => datagram.toString() === 'from the new lease'), { what: 'datagram from the new lease' });
    expect(a.received.map(String)).toEqual(['from the new lease']);

    a.socket.send(Buffer.from('to the port'), second.port, '127.0.0.1');
    await waitFor(() => secondReceived.length === 1 || undefined, { what: 'datagram at the new lease' });
    expect(secondReceived).toEqual([{ data: 'to the port', port: a.port }]);
    expect(firstReceived).toEqual([]);
    second.close();
  });

  it('closes, instead of keeping, a socket that received anything during its allocation', async () => {
    const ports = pool(8);
    const sender = await peer();
    const used = await open(ports);
    const got: string[] = [];
    used.setReceiver((datagram) => got.push(datagram.toString()));
    sender.socket.send(Buffer.from('relayed once'), used.port, '127.0.0.1');
    await waitFor(() => got.length === 1, { what: 'datagram during the allocation' });
    used.close();
    expect(ports.recycledSockets).toBe(0);
    expect(ports.portsInUse).toBe(0);
    await waitFor(async () => ((await canBind(used.port)) ? true : undefined), { what: 'port freed' });
  });

  it('closes a kept socket that an old peer still sends to instead of handing it to the next allocation', async () => {
    const old = await peer();
    // The draw among kept sockets is random: eight rounds, so a pool that ignored the traffic would pass by luck 1 time in 256.
    for (let round = 0; round < 8; round++) {
      const ports = pool(8);
      const quiet = await open(ports);
      const busy = await open(ports);
      quiet.close();
      busy.close();
      expect(ports.recycledSockets).toBe(2);
      old.socket.send(Buffer.from('still talking'), busy.port, '127.0.0.1');
      await waitFor(() => ports.recycledSocketsHeardFrom === 1, { what: 'datagram at the kept socket' });
      const next = await open(ports);
      expect(next.port).toBe(quiet.port);
      const fresh = await open(ports);
      expect(ports.recycledSockets).toBe(0);
      expect(ports.portsInUse).toBe(2);
      // The busy socket was closed and its port freed (a fresh bind may even draw that port again).
      if (fresh.port !== busy.port) await waitFor(async () => ((await canBind(busy.port)) ? true : undefined), { what: 'port of the busy socket freed' });
      ports.close();
      next.close();
      fresh.close();
    }
  });

  it('keeps at most the configured number of released sockets and frees the ports of the rest', async () => {
    const ports = pool(2);
    const sockets = await Promise.all([open(ports), open(ports), open(ports), open(ports)]);
    expect(new Set(sockets.map((socket) => socket.port)).size).toBe(4);
    expect(ports.portsInUse).toBe(4);
    for (const socket of sockets) socket.close();
    expect(ports.recycledSockets).toBe(2);
    expect(ports.portsInUse).toBe(2);
    const freed = sockets.slice(2).map((socket) => socket.port);
    await waitFor(async () => (await canBind(freed[0]!)) && (await canBind(freed[1]!)) ? true : undefined, { what: 'ports of the sockets not kept' });
  });

  it('closes every released socket at once when recycling is off', async () => {
    const ports = pool(0);
    const socket = await open(ports);
    socket.close();
    expect(ports.recycledSockets).toBe(0);
    expect(ports.portsInUse).toBe(0);
    await waitFor(async () => ((await canBind(socket.port)) ? true : undefined), { what: 'port freed' });
  });

  it('binds EVEN-PORT requests afresh instead of taking a recycled (possibly odd) port', async () => {
    const ports = pool(64, 16);
    const opened = await Promise.all(Array.from({ length: 6 }, () => open(ports)));
    for (const socket of opened) socket.close();
    expect(ports.recycledSockets).toBe(6);
    const even = await open(ports, true);
    expect(even.port % 2).toBe(0);
    expect(ports.recycledSockets).toBe(6);
    expect(opened.map((socket) => socket.port)).not.toContain(even.port);
    even.close();
  });

  it('closes the recycled sockets on shutdown, and a lease released afterwards closes its socket', async () => {
    const ports = pool(8);
    const kept = await open(ports);
    const live = await open(ports);
    kept.close();
    ports.close();
    expect(ports.recycledSockets).toBe(0);
    live.close();
    expect(ports.recycledSockets).toBe(0);
    expect(ports.portsInUse).toBe(0);
    await waitFor(async () => ((await canBind(kept.port)) && (await canBind(live.port)) ? true : undefined), { what: 'ports freed at shutdown' });
  });
});
