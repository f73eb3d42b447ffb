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
type Verdict = Accepted | Rejected;

/** A frame that arrived before the connection's verdict, copied out of uWS's buffer. */
interface EarlyFrame {
  bytes: Buffer;
  isBinary: boolean;
}

/**
 * Frames a client may send before its `session` arrives (a client that pipelines its first
 * join). More than this before the token is even checked is abuse, not a hurried client.
 */
const MAX_EARLY_FRAMES = 32;
const MAX_EARLY_BYTES = 256 * 1024;

/** Per-connection data attached at upgrade. */
interface Connection {
  /** The token and limit checks, started at upgrade; settled after the socket opened. */
  pending: Promise<Verdict>;
  /** Set once `pending` settled (or the connection was refused earlier as abusive). */
  verdict: Verdict | undefined;
  remoteAddress: string;
  socket: UwsPeerSocket<Connection> | undefined;
  session: PeerSession | null;
  /** Frames received while the verdict was pending, handed to the session in order. */
  early: EarlyFrame[];
  earlyBytes: number;
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
 * `GET /v1/ws`. Every upgrade is accepted at once; the token and the connection limits are
 * checked meanwhile, and a refused client is told why with an `error` and a stable close code
 * (browsers cannot read an HTTP error on a WebSocket). Frames are copied out of uWS's buffer
 * before anything else runs and handed to the session manager, those that arrive before the
 * verdict once it is known.
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
      const pending = decide(token, resumeToken, received, remoteAddress);
      const connection: Connection = { pending, verdict: undefined, remoteAddress, socket: undefined, session: null, early: [], earlyBytes: 0 };
      // Upgraded here, inside the upgrade callback, whatever the verdict will be. uWS's own
      // request parsing has the socket corked at this point; an upgrade after an await must
      // cork it with res.cork(), and in uWS.js v20.30 that path can mistake the new WebSocket for
      // an HTTP response with "Connection: close" and shut it right after `open` (a 1006 seen
      // on ~1 in 10^4 connections under load; docs/signal.md, "Upgrade"). The token is checked
      // once the socket is open, as refused clients were already told why over the socket.
      res.upgrade(connection, secWebSocketKey, selected, secWebSocketExtensions, context);
    },

    open: (ws: WebSocket<Connection>) => {
      // uWS.js hands back its own object with the upgrade data's fields (not the object given to
      // upgrade()), so everything the connection keeps hangs off this one.
      const connection = ws.getUserData();
      const socket = new UwsPeerSocket(ws, connection.remoteAddress, config.ws.maxBackpressureBytes);
      connection.socket = socket;
      open.add(socket);
      void connection.pending.then((verdict) => settle(connection, verdict));
    },

    message: (ws, message, isBinary) => {
      const connection = ws.getUserData();
      // A view of uWS's buffer, valid only during this callback: the session reads it now, and
      // copies what it keeps.
      const bytes = Buffer.from(message);
      if (connection.session) {
        sessions.onFrame(connection.session, bytes, isBinary);
        return;
      }
      if (connection.verdict) return; // refused: the socket is closing
      connection.early.push({ bytes: Buffer.from(bytes), isBinary });
      connection.earlyBytes += message.byteLength;
      if (connection.early.length > MAX_EARLY_FRAMES || connection.earlyBytes > MAX_EARLY_BYTES) {
        connection.early = [];
        refuse(connection, 'ABUSE');
      }
    },

    close: (ws, code) => {
      const connection = ws.getUserData();
      const socket = connection.socket;
      if (!socket) return;
      socket.markClosed();
      open.delete(socket);
      connection.early = [];
      // A verdict still pending is released by settle() when it arrives.
      if (connection.verdict?.kind === 'accepted') connection.verdict.admission.release();
      if (connection.session) sessions.socketClosed(connection.session, socket, code);
    },
  });

  /** The verdict arrived: start the session (and hand it the early frames) or say why not. */
  function settle(connection: Connection, verdict: Verdict): void {
    const socket = connection.socket;
    if (connection.verdict || !socket?.isOpen) {
      // Gone meanwhile (or already refused as abusive): give back what the verdict holds.
      if (verdict.kind === 'accepted') {
        verdict.admission.release();
        sessions.unclaimResume(verdict.claim);
      }
      return;
    }
    connection.verdict = verdict;
    if (verdict.kind === 'rejected') {
      refuse(connection, verdict.code);
      return;
    }
    const session = sessions.open(socket, verdict.token, verdict.claim);
    connection.session = session;
    if (!session) return; // draining: the socket was told and closed
    const early = connection.early;
    connection.early = [];
    for (const frame of early) {
      if (!socket.isOpen) break;
      sessions.onFrame(session, frame.bytes, frame.isBinary);
    }
  }

  /** Tells the client why it may not stay (stable code) and closes with that code's close code. */
  function refuse(connection: Connection, code: ErrorCode): void {
    connection.verdict ??= { kind: 'rejected', code };
    const socket = connection.socket;
    if (!socket?.isOpen) return;
    metrics.connectionsTotal.labels('rejected', code).inc();
    socket.send(errorFrame(code, undefined));
    socket.close(ERRORS[code].wsCloseCode ?? 1008, code);
  }

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
