import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ERRORS, type ErrorCode } from '@parley/protocol';

/**
 * The relay's HTTP listener: `/metrics` and `/healthz` for anyone; `/v1/status` and
 * `/v1/revocations` only with `Authorization: Bearer <internal token>`. Errors use the shared
 * code table (protocol/errors.ts) in the `{ error: { code } }` body the signal server uses.
 */
export interface HttpRoutes {
  metrics(): Promise<{ contentType: string; body: string }>;
  health(): { ok: boolean };
  status(): unknown;
  /** Applies a revocation body; returns the error code for an invalid one. */
  revoke(body: unknown): { ok: true; result: unknown } | { ok: false; code: ErrorCode };
}

const MAX_BODY_BYTES = 16 * 1024;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  response.end(text);
}

function sendError(response: ServerResponse, code: ErrorCode): void {
  sendJson(response, ERRORS[code].httpStatus, { error: { code } });
}

export class HttpListener {
  private readonly server: Server;
  private readonly token: Buffer | null;
  private boundPort = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    internalToken: string,
    private readonly routes: HttpRoutes,
    private readonly onError: (error: unknown) => void,
  ) {
    this.token = internalToken === '' ? null : Buffer.from(internalToken);
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        this.onError(error);
        if (!response.headersSent) sendError(response, 'INTERNAL');
        else response.destroy();
      });
    });
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 15_000;
  }

  get boundPortNumber(): number {
    return this.boundPort;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, this.host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        this.boundPort = typeof address === 'object' && address ? address.port : 0;
        resolve();
      });
    });
  }

  /** Checks the bearer token in constant time; with no token configured the internal routes are closed. */
  private authorized(request: IncomingMessage): ErrorCode | null {
    const header = request.headers.authorization;
    if (!header || !header.startsWith('Bearer ')) return 'TOKEN_MISSING';
    if (!this.token) return 'FORBIDDEN';
    const presented = Buffer.from(header.slice('Bearer '.length));
    return presented.length === this.token.length && timingSafeEqual(presented, this.token) ? null : 'FORBIDDEN';
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const method = request.method ?? 'GET';
    if (path === '/healthz') {
      if (method !== 'GET') return sendError(response, 'METHOD_NOT_ALLOWED');
      const health = this.routes.health();
      return sendJson(response, health.ok ? 200 : 503, { status: health.ok ? 'ok' : 'unhealthy' });
    }
    if (path === '/metrics') {
      if (method !== 'GET') return sendError(response, 'METHOD_NOT_ALLOWED');
      const metrics = await this.routes.metrics();
      response.writeHead(200, { 'content-type': metrics.contentType });
      response.end(metrics.body);
      return;
    }
    if (path === '/v1/status') {
      if (method !== 'GET') return sendError(response, 'METHOD_NOT_ALLOWED');
      const denied = this.authorized(request);
      if (denied) return sendError(response, denied);
      return sendJson(response, 200, this.routes.status());
    }
    if (path === '/v1/revocations') {
      if (method !== 'POST') return sendError(response, 'METHOD_NOT_ALLOWED');
      const denied = this.authorized(request);
      if (denied) return sendError(response, denied);
      const body = await readBody(request);
      if (body === 'too_large') return sendError(response, 'MESSAGE_TOO_LARGE');
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return sendError(response, 'INVALID_REQUEST');
      }
      const outcome = this.routes.revoke(parsed);
      if (!outcome.ok) return sendError(response, outcome.code);
      return sendJson(response, 200, outcome.result);
    }
    return sendError(response, 'NOT_FOUND');
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function readBody(request: IncomingMessage): Promise<string | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? 'too_large' : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
