import { connect, createServer, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of the signal server, so a test can cut one browser's signaling
 * socket the way a network blip does (connection reset, no closing handshake) while WebRTC
 * traffic, which goes to the TURN relay, is untouched.
 */
export interface TcpProxy {
  url: string;
  /** Resets every open connection and refuses new ones for `refuseMs`. */
  cut(refuseMs?: number): void;
  readonly connectionsAccepted: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let refuseUntilMs = 0;
  let accepted = 0;
  const server = createServer((client) => {
    if (Date.now() < refuseUntilMs) {
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = connect(targetPort, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    const drop = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    cut(refuseMs = 0) {
      refuseUntilMs = Date.now() + refuseMs;
      for (const socket of [...open]) socket.resetAndDestroy();
      open.clear();
    },
    get connectionsAccepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
