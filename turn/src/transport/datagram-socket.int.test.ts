import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@parley/test-support';
import type { DatagramBindOptions, DatagramSocket } from './datagram-socket.js';
import { UDP_IO_KINDS, udpIoFor } from '../../test/udp-io.js';

/**
 * Both UDP I/O paths (node:dgram and the batched recvmmsg/sendmmsg addon) against real loopback
 * sockets: what the listener and the relayed ports rely on — sender addresses and ports, whole
 * datagrams in order across batch boundaries, bind errors with their codes, no delivery after
 * close, queued sends leaving from the socket that queued them, refused sends counted.
 */
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

interface Received {
  datagram: Buffer;
  address: string;
  port: number;
}

async function peer(family: 4 | 6 = 4, address = family === 4 ? '127.0.0.1' : '::1'): Promise<{ socket: Socket; port: number; received: Received[] }> {
  // Room for a whole burst: the default receive buffer holds about 200 small datagrams.
  const socket = createSocket({ type: family === 4 ? 'udp4' : 'udp6', ipv6Only: family === 6, recvBufferSize: 4 * 1024 * 1024 });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  const received: Received[] = [];
  socket.on('message', (datagram, remote) => received.push({ datagram, address: remote.address, port: remote.port }));
  cleanup.push(() => socket.close());
  return { socket, port: socket.address().port, received };
}

function canBind(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

describe.each(UDP_IO_KINDS)('datagram sockets over %s I/O', (kind) => {
  async function bound(overrides: Partial<DatagramBindOptions> = {}): Promise<{ socket: DatagramSocket; received: Received[]; sendFailures: () => number }> {
    const received: Received[] = [];
    let failures = 0;
    const socket = await udpIoFor(kind).bind({
      family: 4,
      address: '127.0.0.1',
      port: 0,
      bufferBytes: 1024 * 1024,
      onDatagram: (datagram, address, port) => received.push({ datagram: Buffer.from(datagram), address, port }),
      onSendFailed: (count) => (failures += count),
      onError: (error) => {
        throw error;
      },
      ...overrides,
    });
    cleanup.push(() => socket.close());
    return { socket, received, sendFailures: () => failures };
  }

  it('receives with the sender address and port, and send and sendParts each make one datagram', async () => {
    const { socket, received } = await bound();
    expect(socket.port).toBeGreaterThan(0);
    const remote = await peer();
    remote.socket.send(Buffer.from('hello'), socket.port, '127.0.0.1');
    await waitFor(() => received.length === 1);
    expect(received[0]).toEqual({ datagram: Buffer.from('hello'), address: '127.0.0.1', port: remote.port });

    socket.send(Buffer.from('one'), remote.port, '127.0.0.1');
    socket.sendParts(Buffer.from([0x40, 0x00, 0x00, 0x03]), Buffer.from('two'), remote.port, '127.0.0.1');
    await waitFor(() => remote.received.length === 2);
    expect(remote.received.map((r) => r.datagram)).toEqual([Buffer.from('one'), Buffer.from([0x40, 0x00, 0x00, 0x03, ...Buffer.from('two')])]);
    expect(remote.received[0]!.port).toBe(socket.port);
  });

  it('works over IPv6 with the canonical address text', async () => {
    const { socket, received } = await bound({ family: 6, address: '::1' });
    const remote = await peer(6);
    remote.socket.send(Buffer.from('v6'), socket.port, '::1');
    await waitFor(() => received.length === 1);
    expect(received[0]).toEqual({ datagram: Buffer.from('v6'), address: '::1', port: remote.port });
    socket.send(Buffer.from('back'), remote.port, '::1');
    await waitFor(() => remote.received.length === 1);
    expect(remote.received[0]).toEqual({ datagram: Buffer.from('back'), address: '::1', port: socket.port });
  });

  it('delivers a burst from two senders whole, in order per sender, each with its own address (more than one batch)', async () => {
    const { socket, received } = await bound();
    const first = await peer(4, '127.0.0.1');
    const second = await peer(4, '127.0.0.5');
    const count = 300;
    for (let i = 0; i < count; i++) {
      // Lengths vary so a wrong offset or length in a batch shows as a wrong datagram.
      first.socket.send(Buffer.alloc(1 + (i % 50), i & 0xff), socket.port, '127.0.0.1');
      second.socket.send(Buffer.from(`b${i}`), socket.port, '127.0.0.1');
    }
    await waitFor(() => received.length === 2 * count);
    const fromFirst = received.filter((r) => r.address === '127.0.0.1' && r.port === first.port);
    const fromSecond = received.filter((r) => r.address === '127.0.0.5' && r.port === second.port);
    expect(fromFirst.map((r) => r.datagram)).toEqual(Array.from({ length: count }, (_, i) => Buffer.alloc(1 + (i % 50), i & 0xff)));
    expect(fromSecond.map((r) => r.datagram.toString())).toEqual(Array.from({ length: count }, (_, i) => `b${i}`));
  });

  it('sends what was handed to it in a burst, in order (more than one sendmmsg)', async () => {
    const { socket } = await bound();
    const remote = await peer();
    for (let i = 0; i < 500; i++) socket.send(Buffer.from(`n${i}`), remote.port, '127.0.0.1');
    await waitFor(() => remote.received.length === 500);
    expect(remote.received.map((r) => r.datagram.toString())).toEqual(Array.from({ length: 500 }, (_, i) => `n${i}`));
  });

  it('sends alternating between two sockets leave from each socket, in order per socket', async () => {
    const [one, two] = [await bound(), await bound()];
    const remote = await peer();
    for (let i = 0; i < 300; i++) {
      one.socket.send(Buffer.from(`one ${i}`), remote.port, '127.0.0.1');
      two.socket.sendParts(Buffer.from('two '), Buffer.from(String(i)), remote.port, '127.0.0.1');
    }
    await waitFor(() => remote.received.length === 600);
    const from = (port: number) => remote.received.filter((r) => r.port === port).map((r) => r.datagram.toString());
    expect(from(one.socket.port)).toEqual(Array.from({ length: 300 }, (_, i) => `one ${i}`));
    expect(from(two.socket.port)).toEqual(Array.from({ length: 300 }, (_, i) => `two ${i}`));
  });

  it('rejects a bind to a port that is taken or an address that is not local, with the system error code', async () => {
    const taken = await peer();
    await expect(udpIoFor(kind).bind({ family: 4, address: '127.0.0.1', port: taken.port, bufferBytes: 0, onDatagram: () => undefined, onSendFailed: () => undefined, onError: () => undefined })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: binding it fails before any traffic.
    await expect(udpIoFor(kind).bind({ family: 4, address: '192.0.2.1', port: 0, bufferBytes: 0, onDatagram: () => undefined, onSendFailed: () => undefined, onError: () => undefined })).rejects.toMatchObject({
      code: 'EADDRNOTAVAIL',
    });
  });

  it('after close delivers nothing and frees the port; a datagram queued just before close still leaves, from its own port', async () => {
    const { socket, received } = await bound();
    const port = socket.port;
    const remote = await peer();
    socket.send(Buffer.from('last words'), remote.port, '127.0.0.1');
    socket.close();
    // A socket opened at once may get the closed one's descriptor number; nothing queued may leave from it.
    const next = await bound();
    await waitFor(() => remote.received.length === 1);
    expect(remote.received[0]).toMatchObject({ datagram: Buffer.from('last words'), port });
    remote.socket.send(Buffer.from('too late'), port, '127.0.0.1');
    await waitFor(() => canBind(port));
    expect(received).toEqual([]);
    expect(next.received).toEqual([]);
  });

  it('counts a datagram the destination refuses (port 0) as a failed send, and keeps sending the rest', async () => {
    const { socket, sendFailures } = await bound();
    const remote = await peer();
    socket.send(Buffer.from('before'), remote.port, '127.0.0.1');
    expect(() => socket.send(Buffer.from('nowhere'), 0, '127.0.0.1')).not.toThrow();
    expect(() => socket.sendParts(Buffer.from('no'), Buffer.from('where'), 0, '127.0.0.1')).not.toThrow();
    socket.send(Buffer.from('after'), remote.port, '127.0.0.1');
    await waitFor(() => remote.received.length === 2 && sendFailures() === 2);
    expect(remote.received.map((r) => r.datagram.toString())).toEqual(['before', 'after']);
  });
});

describe('batched I/O addon', () => {
  it('closes the descriptor of a socket dropped without close() once it is collected', () => {
    udpIoFor('batched');
    const script = `
      import { loadBatchedUdp } from ${JSON.stringify(fileURLToPath(new URL('../../dist/transport/batched-udp.js', import.meta.url)))};
      import { createSocket } from 'node:dgram';
      const { io } = loadBatchedUdp();
      let socket = await io.bind({ family: 4, address: '127.0.0.1', port: 0, bufferBytes: 0, onDatagram() {}, onSendFailed() {}, onError() {} });
      const port = socket.port;
      const bindable = () => new Promise((resolve) => { const s = createSocket('udp4'); s.once('error', () => resolve(false)); s.bind(port, '127.0.0.1', () => s.close(() => resolve(true))); });
      const before = await bindable();
      socket = null;
      let after = false;
      for (let i = 0; i < 50 && !after; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); after = await bindable(); }
      console.log(JSON.stringify({ before, after }));
    `;
    const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout.trim())).toEqual({ before: false, after: true });
  });
});
