import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP relay between the dashboard and the signal server, so a test can cut the link
 * (listener closed, every connection reset: the server is unreachable as far as the dashboard can
 * tell) and restore it on the same port, with the real signal server running behind it.
 */
export interface TcpLink {
  readonly port: number;
  readonly url: string;
  /** Client connections open through the link right now. */
  readonly openConnections: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTcpLink(targetPort: number, host = '127.0.0.1'): Promise<TcpLink> {
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const makeServer = () =>
    createServer((client) => {
      const upstream = connect(targetPort, host);
      track(client);
      track(upstream);
      clients.add(client);
      client.on('close', () => clients.delete(client));
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  const listen = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
    });
  let server: Server | undefined = makeServer();
  const port = await listen(server, 0);
  const cut = async () => {
    if (!server) return;
    const closing = server;
    server = undefined;
    const closed = new Promise((resolve) => closing.close(resolve));
    for (const socket of sockets) socket.resetAndDestroy();
    await closed;
  };
  return {
    port,
    url: `http://${host}:${port}`,
    get openConnections() {
      return clients.size;
    },
    cut,
    async restore() {
      if (server) return;
      server = makeServer();
      await listen(server, port);
    },
    stop: cut,
  };
}
