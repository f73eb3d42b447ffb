import { STATUS_CODES } from 'node:http';
import type { Logger } from '@parley/runtime';
import type { HttpRequest as UwsRequest, HttpResponse as UwsResponse, TemplatedApp } from 'uWebSockets.js';
import { httpError, isApiPath } from '../http/index.js';
import type { HttpRequest, HttpResponse, Route, StreamSink } from '../http/index.js';
import type { SignalMetrics } from '../observability/index.js';

export interface HttpAdapterOptions {
  maxBodyBytes: number;
  corsOrigins: readonly string[];
  trustForwardedFor: boolean;
  metrics: SignalMetrics;
  logger: Logger;
  /** Serves GET paths no route matched (static files), if configured. */
  fallback: ((request: HttpRequest) => Promise<HttpResponse>) | undefined;
}

/** Open server-sent-event streams, so shutdown can end them (uWS keeps running while any is open). */
export type OpenStreams = Set<() => void>;

const UWS_METHOD: Record<Route['method'], 'get' | 'post' | 'del' | 'put' | 'patch'> = {
  GET: 'get',
  POST: 'post',
  DELETE: 'del',
  PUT: 'put',
  PATCH: 'patch',
};

function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
}

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** The client address: the socket's, or the last X-Forwarded-For hop when a trusted proxy adds it. */
export function clientAddress(socketAddress: string, forwardedFor: string, trustForwardedFor: boolean): string {
  if (trustForwardedFor && forwardedFor) {
    const hops = forwardedFor.split(',');
    const last = hops[hops.length - 1]!.trim();
    if (last) return last;
  }
  return socketAddress;
}

export function remoteAddressOf(res: UwsResponse): string {
  return Buffer.from(res.getRemoteAddressAsText()).toString('utf8');
}

/**
 * Mounts plain HTTP routes on a uWS app. The uWS rules live here and only here: everything is
 * read from the request synchronously (it is stack-allocated), the body chunks are copied as
 * they arrive, every response that outlives the callback has onAborted, and writes are corked.
 */
export function mountRoutes(app: TemplatedApp, routes: readonly Route[], options: HttpAdapterOptions, streams: OpenStreams): void {
  const patterns = new Map<string, Set<string>>();
  for (const route of routes) {
    const names = [...route.pattern.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]!);
    app[UWS_METHOD[route.method]](route.pattern, (res, req) => handle(res, req, route, names, options, streams));
    const methods = patterns.get(route.pattern) ?? new Set<string>();
    methods.add(route.method);
    patterns.set(route.pattern, methods);
  }
  // A known path with another method: 405 with Allow (uWS prefers method routes over `any`).
  for (const [pattern, methods] of patterns) {
    const allow = [...methods, 'OPTIONS'].join(', ');
    app.any(pattern, (res, req) => {
      if (req.getMethod() === 'options') return preflight(res, req, options, allow);
      respond(res, { done: false }, withCors(httpError('METHOD_NOT_ALLOWED', undefined, { allow }), req.getHeader('origin'), options), streams);
    });
  }
  app.any('/*', (res, req) => {
    const method = req.getMethod();
    const path = req.getUrl();
    if (method === 'options') return preflight(res, req, options, 'GET, POST, DELETE, OPTIONS');
    if ((method === 'get' || method === 'head') && options.fallback && !isApiPath(path)) {
      return handle(res, req, { method: 'GET', pattern: '/*', group: 'static', handler: options.fallback }, [], options, streams);
    }
    respond(res, { done: false }, httpError('NOT_FOUND'), streams);
  });
}

function handle(res: UwsResponse, req: UwsRequest, route: Route, paramNames: string[], options: HttpAdapterOptions, streams: OpenStreams): void {
  const headers: Record<string, string> = {};
  req.forEach((key, value) => {
    headers[key] = value;
  });
  const params: Record<string, string> = {};
  for (let index = 0; index < paramNames.length; index++) {
    const raw = req.getParameter(index);
    try {
      params[paramNames[index]!] = decodeURIComponent(raw);
    } catch {
      params[paramNames[index]!] = raw;
    }
  }
  const method = req.getMethod().toUpperCase();
  const path = req.getUrl();
  const query = new URLSearchParams(req.getQuery() ?? '');
  const remoteAddress = clientAddress(remoteAddressOf(res), headers['x-forwarded-for'] ?? '', options.trustForwardedFor);
  const state = { done: false, stop: undefined as (() => void) | undefined };
  res.onAborted(() => {
    state.done = true;
    state.stop?.();
  });

  const run = (body: Buffer) => {
    const request: HttpRequest = { method, path, query, params, headers, body, remoteAddress };
    let result: HttpResponse | Promise<HttpResponse>;
    try {
      result = route.handler(request);
    } catch (error) {
      result = Promise.reject(error);
    }
    void Promise.resolve(result)
      .catch((error: unknown) => {
        options.logger.error({ err: error, route: route.group }, 'http handler failed');
        return httpError('INTERNAL');
      })
      .then((response) => {
        options.metrics.httpRequests.labels(route.group, statusClass(response.status)).inc();
        respond(res, state, withCors(response, headers.origin, options), streams);
      });
  };

  if (method === 'GET' || method === 'HEAD' || method === 'DELETE') {
    run(Buffer.alloc(0));
    return;
  }
  const declared = Number(headers['content-length'] ?? '0');
  if (declared > options.maxBodyBytes) {
    respond(res, state, httpError('INVALID_REQUEST', `bodies are limited to ${options.maxBodyBytes} bytes`), streams, true);
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  let refused = false;
  res.onData((chunk, isLast) => {
    if (refused) return;
    received += chunk.byteLength;
    if (received > options.maxBodyBytes) {
      refused = true;
      respond(res, state, httpError('INVALID_REQUEST', `bodies are limited to ${options.maxBodyBytes} bytes`), streams, true);
      return;
    }
    // uWS neuters the chunk when this callback returns: copy it now.
    chunks.push(Buffer.copyBytesFrom(new Uint8Array(chunk)));
    if (isLast) run(Buffer.concat(chunks, received));
  });
}

function withCors(response: HttpResponse, origin: string | undefined, options: HttpAdapterOptions): HttpResponse {
  const allowed = origin && (options.corsOrigins.includes('*') || options.corsOrigins.includes(origin));
  if (!allowed) return response;
  return { ...response, headers: { ...(response.headers ?? {}), 'access-control-allow-origin': origin, vary: 'Origin' } } as HttpResponse;
}

function preflight(res: UwsResponse, req: UwsRequest, options: HttpAdapterOptions, allow: string): void {
  const origin = req.getHeader('origin');
  const response: HttpResponse = {
    status: 204,
    headers: {
      'access-control-allow-methods': allow,
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
    },
  };
  respond(res, { done: false }, withCors(response, origin, options), new Set());
}

/** Writes a response once; `state.done` is set when the client went away or it was answered. */
function respond(res: UwsResponse, state: { done: boolean; stop?: (() => void) | undefined }, response: HttpResponse, streams: OpenStreams, closeConnection = false): void {
  if (state.done) return;
  if ('stream' in response) {
    startStream(res, state, response, streams);
    return;
  }
  res.cork(() => {
    res.writeStatus(statusLine(response.status));
    for (const [key, value] of Object.entries(response.headers ?? {})) res.writeHeader(key, value);
    if (response.status === 204) res.endWithoutBody(0, closeConnection);
    else res.end(response.body ?? '', closeConnection);
  });
  state.done = true;
}

function startStream(
  res: UwsResponse,
  state: { done: boolean; stop?: (() => void) | undefined },
  response: Extract<HttpResponse, { stream: unknown }>,
  streams: OpenStreams,
): void {
  let open = true;
  // Set once the stream has started; `finish` may run before that if the client leaves at once.
  const started: { stop?: () => void } = {};
  const finish = () => {
    if (!open) return;
    open = false;
    streams.delete(end);
    started.stop?.();
  };
  const end = () => {
    if (!open) return;
    finish();
    if (!state.done) {
      state.done = true;
      res.cork(() => res.end());
    }
  };
  const sink: StreamSink = {
    write: (chunk) => {
      if (!open || state.done) return false;
      let ok = true;
      res.cork(() => {
        ok = res.write(chunk);
      });
      return ok;
    },
    end,
  };
  res.cork(() => {
    res.writeStatus('200 OK');
    for (const [key, value] of Object.entries(response.headers)) res.writeHeader(key, value);
    res.write(':\n\n');
  });
  streams.add(end);
  state.stop = finish;
  started.stop = response.stream(sink);
  if (!open) started.stop();
}
