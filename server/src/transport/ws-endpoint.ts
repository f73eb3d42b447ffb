import { ERRORS, type ErrorCode } from '@parley/protocol';
import type { Logger } from '@parley/runtime';
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import { TokenError, type TokenVerifier, type VerifiedToken } from '../auth/index.js';
import type { SignalConfig } from '../config/index.js';
import type { SignalMetrics } from '../observability/index.js';
import type { Admission, ResumeClaim, SessionManager } from '../session/index.js';
import type { PeerSession, PeerSocket } from '../session/index.js';
import { errorFrame } from '../wire/encode.js';
import { clientAddress, remoteAddressOf } from './http-adapter.js';
import { uWS } from './uws.js';
import { UwsPeerSocket } from './uws-peer-socket.js';

/** The subprotocol clients may offer (with `access_token.<JWT>`) and that the server selects. */
export const WS_SUBPROTOCOL = 'parley.v1';
const TOKEN_SUBPROTOCOL_PREFIX = 'access_token.';

type Accepted = { kind: 'accepted'; token: VerifiedToken; admission: Admission; claim: ResumeClaim };
type Rejected = { kind: 'rejected'; code: ErrorCode };

/** Per-connection data attached at upgrade. */
interface Connection {
  verdict: Accepted | Rejected;
  remoteAddress: string;
  socket: UwsPeerSocket<Connection> | undefined;
  session: PeerSession | null;
}

export interface WsEndpointDeps {
  config: Readonly<SignalConfig>;
  verifier: TokenVerifier;
  sessions: SessionManager;
  metrics: SignalMetrics;
  logger: Logger;
}

/** The access token of an upgrade: `?access_token=`, a `access_token.<JWT>` subprotocol, or `Authorization: Bearer`. */
export function upgradeToken(query: URLSearchParams, protocols: string[], authorization: string): string | undefined {
  const fromQuery = query.get('access_token');
  if (fromQuery) return fromQuery;
  const fromProtocol = protocols.find((protocol) => protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX));
  if (fromProtocol) return fromProtocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  return bearer?.[1];
}

/**
 * `GET /v1/ws`. The upgrade verifies the token and applies the connection limits before the
 * socket exists; a refused client still gets upgraded so it can be told why with a stable close
 * code (browsers cannot read an HTTP error on a WebSocket). Frames are copied out of uWS's
 * buffer before anything else runs and handed to the session manager.
 */
export function mountWsEndpoint(app: TemplatedApp, deps: WsEndpointDeps, open: Set<PeerSocket>): void {
  const { config, verifier, sessions, metrics, logger } = deps;
  app.ws<Connection>('/v1/ws', {
    maxPayloadLength: config.ws.maxFrameBytes,
    maxBackpressure: config.ws.maxBackpressureBytes,
    // Over the limit, send() reports a drop and the session manager ends the session itself, so
    // a peer never resumes with a silent gap.
    closeOnBackpressureLimit: 0,
    idleTimeout: config.ws.idleTimeoutSeconds,
    sendPingsAutomatically: true,
    compression: uWS.DISABLED,

    upgrade: (res, req, context) => {
      const secWebSocketKey = req.getHeader('sec-websocket-key');
      const secWebSocketProtocol = req.getHeader('sec-websocket-protocol');
      const secWebSocketExtensions = req.getHeader('sec-websocket-extensions');
      const query = new URLSearchParams(req.getQuery() ?? '');
      const protocols = secWebSocketProtocol
        .split(',')
        .map((protocol) => protocol.trim())
        .filter(Boolean);
      const token = upgradeToken(query, protocols, req.getHeader('authorization'));
      const resumeToken = query.get('resume') ?? undefined;
      const receivedText = query.get('received');
      const received = receivedText !== null && /^\d{1,15}$/.test(receivedText) ? Number(receivedText) : undefined;
      const remoteAddress = clientAddress(remoteAddressOf(res), req.getHeader('x-forwarded-for'), config.http.trustForwardedFor);
      // Never echo the token back: select our protocol name, or the first one that is not the token.
      const selected = protocols.includes(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : (protocols.find((p) => !p.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) ?? '');
      let aborted = false;
      res.onAborted(() => {
        aborted = true;
      });

      void decide(token, resumeToken, received, remoteAddress).then((verdict) => {
        if (aborted) {
          if (verdict.kind === 'accepted') {
            verdict.admission.release();
            sessions.unclaimResume(verdict.claim);
          }
          return;
        }
        const connection: Connection = { verdict, remoteAddress, socket: undefined, session: null };
        res.cork(() => res.upgrade(connection, secWebSocketKey, selected, secWebSocketExtensions, context));
      });
    },

    open: (ws: WebSocket<Connection>) => {
      const connection = ws.getUserData();
      const socket = new UwsPeerSocket(ws, connection.remoteAddress, config.ws.maxBackpressureBytes);
      connection.socket = socket;
      open.add(socket);
      const { verdict } = connection;
      if (verdict.kind === 'rejected') {
        metrics.connectionsTotal.labels('rejected', verdict.code).inc();
        socket.send(errorFrame(verdict.code, undefined));
        socket.close(ERRORS[verdict.code].wsCloseCode ?? 1008, verdict.code);
        return;
      }
      connection.session = sessions.open(socket, verdict.token, verdict.claim);
    },

    message: (ws, message, isBinary) => {
      const connection = ws.getUserData();
      if (!connection.session) return;
      // The ArrayBuffer is only valid during this callback: decode (copy) it now.
      const text = isBinary ? null : Buffer.from(message).toString('utf8');
      sessions.onFrame(connection.session, text, message.byteLength, isBinary);
    },

    close: (ws, code) => {
      const connection = ws.getUserData();
      const socket = connection.socket;
      if (!socket) return;
      socket.markClosed();
      open.delete(socket);
      if (connection.verdict.kind === 'accepted') connection.verdict.admission.release();
      if (connection.session) sessions.socketClosed(connection.session, socket, code);
    },
  });

  async function decide(token: string | undefined, resumeToken: string | undefined, received: number | undefined, remoteAddress: string): Promise<Accepted | Rejected> {
    let verified: VerifiedToken;
    try {
      verified = await verifier.verify(token);
    } catch (error) {
      if (!(error instanceof TokenError)) {
        logger.error({ err: error }, 'token verification failed unexpectedly');
        return { kind: 'rejected', code: 'INTERNAL' };
      }
      metrics.authFailures.labels(error.code).inc();
      if (error.code === 'INTERNAL') logger.warn({ err: error.cause }, 'token keys unavailable');
      return { kind: 'rejected', code: error.code };
    }
    const admitted = await sessions.admit(verified, remoteAddress);
    if (!admitted.ok) return { kind: 'rejected', code: admitted.code };
    const claim = await sessions.claimResume(resumeToken, verified.userId, received);
    return { kind: 'accepted', token: verified, admission: admitted.admission, claim };
  }
}
