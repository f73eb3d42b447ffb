import type { Logger } from '@parley/runtime';
import type { us_listen_socket } from 'uWebSockets.js';
import type { TokenVerifier } from '../auth/index.js';
import type { SignalConfig } from '../config/index.js';
import type { HttpRequest, HttpResponse, Route } from '../http/index.js';
import type { SignalMetrics } from '../observability/index.js';
import type { PeerSocket, SessionManager } from '../session/index.js';
import { mountRoutes, type OpenStreams } from './http-adapter.js';
import { assertNativeUws, uWS } from './uws.js';
import { mountWsEndpoint } from './ws-endpoint.js';

export interface ListenerDeps {
  config: Readonly<SignalConfig>;
  routes: readonly Route[];
  staticFallback: ((request: HttpRequest) => Promise<HttpResponse>) | undefined;
  verifier: TokenVerifier;
  sessions: SessionManager;
  metrics: SignalMetrics;
  logger: Logger;
}

export interface Listener {
  readonly port: number;
  /** Open WebSocket connections. */
  readonly connectionCount: number;
  /** Stops accepting, ends open streams and closes every socket with `closeCode`. */
  close(closeCode: number, reason: string): void;
}

/**
 * Builds the uWS app (routes, WebSocket endpoint) and listens. Refuses to start on the uWS
 * JavaScript fallback.
 */
export function listen(deps: ListenerDeps): Promise<Listener> {
  assertNativeUws();
  const { config } = deps;
  const app = uWS.App();
  const sockets = new Set<PeerSocket>();
  const streams: OpenStreams = new Set();
  mountWsEndpoint(app, { config, verifier: deps.verifier, sessions: deps.sessions, metrics: deps.metrics, logger: deps.logger }, sockets);
  mountRoutes(
    app,
    deps.routes,
    {
      maxBodyBytes: config.http.maxBodyBytes,
      corsOrigins: config.http.corsOrigins,
      trustForwardedFor: config.http.trustForwardedFor,
      metrics: deps.metrics,
      logger: deps.logger,
      fallback: deps.staticFallback,
    },
    streams,
  );
  return new Promise((resolve, reject) => {
    app.listen(config.http.host, config.http.port, (listenSocket: us_listen_socket | false) => {
      if (!listenSocket) {
        reject(new Error(`cannot listen on ${config.http.host}:${config.http.port} (address in use or not available)`));
        return;
      }
      const port = uWS.us_socket_local_port(listenSocket as never);
      let closed = false;
      resolve({
        port,
        get connectionCount() {
          return sockets.size;
        },
        close(closeCode, reason) {
          if (closed) return;
          closed = true;
          uWS.us_listen_socket_close(listenSocket);
          for (const end of [...streams]) end();
          for (const socket of [...sockets]) socket.close(closeCode, reason);
          // Idle HTTP keep-alive connections too, or a stopped server would go on answering on
          // them. The native App has close() (every socket of the app); its typings lack it.
          (app as unknown as { close(): void }).close();
        },
      });
    });
  });
}
