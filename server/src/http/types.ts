/**
 * HTTP routes as plain functions: a request (already read, body included) in, a response out.
 * transport/ adapts them to uWebSockets.js, so handlers never touch uWS objects and never have
 * to remember its rules (copy before await, onAborted, cork).
 */
export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Route parameters by name (`/v1/admin/rooms/:room` → `params.room`), URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly remoteAddress: string;
}

/** An open server-sent-events stream. */
export interface StreamSink {
  /** Queues text on the stream; false when the client is too slow (it should be ended). */
  write(chunk: string): boolean;
  end(): void;
}

export type HttpResponse =
  | { status: number; headers?: Record<string, string>; body?: string | Buffer }
  | {
      status: 200;
      headers: Record<string, string>;
      /** Starts the stream; returns the function that stops it when the client goes away. */
      stream: (sink: StreamSink) => () => void;
    };

export type HttpHandler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

export interface Route {
  method: HttpMethod;
  /** uWS pattern: literal segments and `:name` parameters. */
  pattern: string;
  /** Bounded label for metrics. */
  group: string;
  handler: HttpHandler;
}
