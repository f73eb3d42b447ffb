import { createRequire } from 'node:module';
import uWS from 'uWebSockets.js';

/**
 * The trivial server that measures the load generator's own ceiling: uWebSockets.js returning
 * every text frame to its sender unchanged. It does no JSON and no lookups, so with it on the
 * other core the generator's CPU is the only limit; any broker result close to this ceiling is
 * bounded by the generator, not by the broker.
 */
export interface UwsEchoServer {
  readonly port: number;
  stop(): void;
}

/** uWebSockets.js silently swaps in a slow JavaScript fallback when its binary does not load. */
export function uwsIsNative(): boolean {
  const require = createRequire(import.meta.url);
  require('uWebSockets.js');
  return Object.keys(require.cache).some((path) => /uws_[a-z0-9_]+\.node$/.test(path));
}

export function startUwsEcho(options: { host?: string; port?: number } = {}): Promise<UwsEchoServer> {
  if (!uwsIsNative()) throw new Error('the uWebSockets.js native binary did not load; the echo ceiling would measure its fallback');
  const sockets = new Set<uWS.WebSocket<unknown>>();
  const app = uWS.App().ws('/*', {
    compression: uWS.DISABLED,
    maxPayloadLength: 64 * 1024,
    maxBackpressure: 16 * 1024 * 1024,
    idleTimeout: 0,
    open: (socket) => {
      sockets.add(socket);
    },
    message: (socket, message, isBinary) => {
      socket.send(message, isBinary);
    },
    close: (socket) => {
      sockets.delete(socket);
    },
  });
  return new Promise((resolve, reject) => {
    app.listen(options.host ?? '127.0.0.1', options.port ?? 0, (listenSocket) => {
      if (listenSocket === false) return reject(new Error('the echo server could not listen'));
      resolve({
        port: uWS.us_socket_local_port(listenSocket),
        stop: () => {
          uWS.us_listen_socket_close(listenSocket);
          for (const socket of [...sockets]) socket.close();
        },
      });
    });
  });
}
