import { section } from '@parley/runtime';
import { z } from 'zod';

/**
 * The signal server's configuration: the single source of truth for every setting, its default,
 * unit and description. Env names are derived from the path (`PARLEY_SIGNAL_HTTP__PORT`);
 * docs/config.md is generated from this file.
 */
export const SIGNAL_ENV_PREFIX = 'PARLEY_SIGNAL_';

const seconds = (description: string) => ({ description, unit: 'seconds' });
const milliseconds = (description: string) => ({ description, unit: 'milliseconds' });
const bytes = (description: string) => ({ description, unit: 'bytes' });

const JWT_ASYMMETRIC_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export const JwtAsymmetricAlg = z.enum(JWT_ASYMMETRIC_ALGS);
export type JwtAsymmetricAlg = z.infer<typeof JwtAsymmetricAlg>;

const Hs256Key = z.strictObject({
  kid: z.string().min(1).max(128),
  secret: z.string().min(32, 'HS256 secrets must be at least 32 characters'),
});

const PublicKey = z.strictObject({
  kid: z.string().min(1).max(128).optional(),
  alg: JwtAsymmetricAlg,
  pem: z.string().includes('-----BEGIN PUBLIC KEY-----', { message: 'expected an SPKI PEM ("BEGIN PUBLIC KEY")' }),
});
export type PublicKeyConfig = z.infer<typeof PublicKey>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const SignalConfigSchema = z.strictObject({
  node: section({
    id: z.string().max(64).default('').meta({ description: 'Node id shown in the admin API and metrics; empty = "signal-" + a random suffix' }),
  }),
  log: section({
    level: z.enum(LOG_LEVELS).default('info').meta({ description: 'pino log level' }),
  }),
  http: section({
    host: z.string().default('0.0.0.0').meta({ description: 'Address to listen on' }),
    port: z.number().int().min(0).max(65_535).default(8080).meta({ description: 'HTTP + WebSocket port (0 = any free port)' }),
    staticDir: z
      .string()
      .default('')
      .meta({ description: 'Directory served at / (index.html for unknown GET paths outside the API); empty = web/dist of the installation when it exists' }),
    maxBodyBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(64 * 1024).meta(bytes('Largest accepted HTTP request body')),
    corsOrigins: z.array(z.string()).default([]).meta({ description: 'Origins allowed to call the REST API from browsers ("*" for any); empty = same origin only' }),
    trustForwardedFor: z
      .boolean()
      .default(false)
      .meta({ description: 'Take the client IP from the last X-Forwarded-For hop (only behind a proxy you run)' }),
  }),
  auth: section({
    hs256Secrets: z
      .array(z.string().min(32, 'HS256 secrets must be at least 32 characters'))
      .default([])
      .meta({ description: 'HS256 secrets without a kid; the first one signs tokens minted by the server', secret: true }),
    hs256Keys: z.array(Hs256Key).default([]).meta({ description: 'HS256 secrets with a kid, as JSON [{"kid","secret"}] (rotation)', secret: true }),
    publicKeys: z
      .array(PublicKey)
      .default([])
      .meta({ description: 'Public keys for RS*/PS*/ES*/EdDSA tokens, as JSON [{"kid"?,"alg","pem"}] (SPKI PEM)' }),
    jwksUrl: z.string().default('').meta({ description: 'JWKS URL for asymmetric tokens (keys picked by kid); empty = none' }),
    jwksCacheSeconds: z.number().int().min(1).max(86_400).default(600).meta(seconds('How long fetched JWKS keys are cached')),
    audience: z.string().default('').meta({ description: 'Required "aud" claim; empty = not checked' }),
    issuer: z.string().default('').meta({ description: 'Required "iss" claim; empty = not checked' }),
    leewaySeconds: z.number().int().min(0).max(300).default(5).meta(seconds('Clock skew tolerated on exp/nbf/iat')),
    defaultTokenTtlSeconds: z.number().int().min(60).max(30 * 86_400).default(3600).meta(seconds('Lifetime of tokens minted without an explicit ttl')),
  }),
  ws: section({
    maxMessageBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024)
      .default(64 * 1024)
      .meta(bytes('Largest protocol message; larger frames get MESSAGE_TOO_LARGE, checked before JSON.parse')),
    maxFrameBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(1024 * 1024)
      .meta(bytes('uWS maxPayloadLength: a frame above this closes the connection (1009) without being read')),
    maxBackpressureBytes: z
      .number()
      .int()
      .min(16 * 1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024)
      .meta(bytes('Unsent bytes buffered for one client before it is closed as a slow consumer')),
    idleTimeoutSeconds: z.number().int().min(8).max(960).default(60).meta(seconds('uWS idleTimeout: close a silent connection (pings are sent automatically)')),
  }),
  session: section({
    resumeGraceMs: z.number().int().min(0).max(600_000).default(20_000).meta(milliseconds('How long a dropped session may be resumed with its resume token')),
    resumeBufferMessages: z.number().int().min(0).max(100_000).default(512).meta({ description: 'Messages buffered for a session while it is disconnected' }),
    resumeBufferBytes: z.number().int().min(0).max(64 * 1024 * 1024).default(1024 * 1024).meta(bytes('Bytes buffered for a session while it is disconnected')),
    replayFrames: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(64)
      .meta({ description: 'Frames kept per connected session so a resume with ?received= can resend what the old connection lost (0 = off)' }),
    replayBytes: z.number().int().min(0).max(16 * 1024 * 1024).default(64 * 1024).meta(bytes('Bytes kept for the same purpose, per session')),
    maxRoomsPerSession: z.number().int().min(1).max(1000).default(16).meta({ description: 'Rooms one connection may be in at once' }),
  }),
  limits: section({
    messagesPerSecond: z.number().min(0.1).max(1e6).default(100).meta({ description: 'Per-user sustained message rate (all connections together)', unit: 'messages/second' }),
    messagesBurst: z.number().int().min(1).max(1e6).default(200).meta({ description: 'Per-user message burst', unit: 'messages' }),
    bytesPerSecond: z.number().int().min(1024).max(1e9).default(512 * 1024).meta({ description: 'Per-user sustained inbound bytes', unit: 'bytes/second' }),
    bytesBurst: z.number().int().min(1024).max(1e9).default(2 * 1024 * 1024).meta(bytes('Per-user inbound byte burst')),
    joinsPerMinute: z.number().int().min(1).max(100_000).default(60).meta({ description: 'Per-user room joins', unit: 'joins/minute' }),
    connectionsPerUser: z.number().int().min(1).max(100_000).default(20).meta({ description: 'Simultaneous connections per user (a token grant may lower it)' }),
    connectionsPerIp: z.number().int().min(1).max(1_000_000).default(200).meta({ description: 'Simultaneous connections per client IP' }),
    abuseStrikes: z
      .number()
      .int()
      .min(1)
      .max(1e6)
      .default(300)
      .meta({ description: 'Rate-limited messages a connection may accumulate (recovering at abuseStrikesPerSecond) before it is closed with ABUSE' }),
    abuseStrikesPerSecond: z.number().min(0.1).max(1e6).default(10).meta({ description: 'Recovery rate of the abuse allowance', unit: 'strikes/second' }),
    maxStateKeys: z.number().int().min(1).max(10_000).default(64).meta({ description: 'Keys in one room state' }),
    maxStateBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(64 * 1024).meta(bytes('Serialized size of one room state')),
  }),
  rooms: section({
    maxPeers: z.number().int().min(1).max(10_000).default(50).meta({ description: 'Default maxPeers of a room' }),
    emptyTimeoutSeconds: z.number().int().min(1).max(86_400).default(300).meta(seconds('Default: close a created room nobody joined within this time')),
    departureTimeoutSeconds: z.number().int().min(0).max(86_400).default(20).meta(seconds('Default: close a room this long after its last peer left')),
    maxDurationSeconds: z.number().int().min(0).max(7 * 86_400).default(0).meta(seconds('Default: close a room this long after creation (0 = unlimited)')),
  }),
  turn: section({
    secrets: z.array(z.string().min(16)).default([]).meta({ description: 'TURN REST shared secrets; the first signs, all verify (rotation)', secret: true }),
    urls: z
      .array(z.string().regex(/^(stun|stuns|turn|turns):/, 'TURN/STUN URIs start with stun:, stuns:, turn: or turns:'))
      .default([])
      .meta({ description: 'ICE server URIs handed to clients (turn:host:3478?transport=udp, stun:host:3478, ...)' }),
    credentialTtlSeconds: z.number().int().min(60).max(7 * 86_400).default(3600).meta(seconds('Lifetime of TURN credentials')),
    refreshBeforeExpirySeconds: z.number().int().min(5).max(86_400).default(300).meta(seconds('Push turn.refresh this long before credentials expire')),
    nodes: z.array(z.url()).default([]).meta({ description: 'Status URLs of TURN nodes (GET /v1/status) polled for the admin API' }),
    internalToken: z.string().default('').meta({ description: 'Bearer token for TURN nodes\' /v1/status and /v1/revocations', secret: true }),
    pollIntervalSeconds: z.number().int().min(1).max(3600).default(10).meta(seconds('How often TURN nodes are polled')),
  }),
  webhooks: section({
    urls: z.array(z.url()).default([]).meta({ description: 'Endpoints that receive lifecycle events (POST, JSON, signed); redacted in logs, as such URLs often embed a key', secret: true }),
    secret: z.string().default('').meta({ description: 'HMAC-SHA256 key of the Parley-Signature header', secret: true }),
    maxQueue: z.number().int().min(1).max(1_000_000).default(10_000).meta({ description: 'Events waiting per endpoint; newer events are dropped (and counted) when full' }),
    maxAttempts: z.number().int().min(1).max(100).default(8).meta({ description: 'Delivery attempts per event' }),
    initialBackoffMs: z.number().int().min(10).max(600_000).default(500).meta(milliseconds('First retry delay; doubles per attempt with jitter')),
    maxBackoffMs: z.number().int().min(10).max(3_600_000).default(60_000).meta(milliseconds('Largest retry delay')),
    timeoutMs: z.number().int().min(100).max(120_000).default(5000).meta(milliseconds('Per-request timeout')),
  }),
  admin: section({
    historyIntervalSeconds: z.number().int().min(1).max(3600).default(10).meta(seconds('Sampling interval of the in-memory history')),
    historyPoints: z.number().int().min(1).max(100_000).default(360).meta({ description: 'Samples kept (360 × 10 s = 1 h)' }),
    eventsOverviewIntervalSeconds: z.number().int().min(1).max(3600).default(5).meta(seconds('Interval of overview events on the live stream')),
  }),
  drain: section({
    deadlineSeconds: z.number().int().min(0).max(3600).default(30).meta(seconds('After SIGTERM, stop at the latest after this long even if peers remain')),
    reconnectInMs: z.number().int().min(0).max(600_000).default(1000).meta(milliseconds('Delay advertised to clients in drain messages')),
  }),
  metrics: section({
    defaultMetrics: z.boolean().default(true).meta({ description: "Include prom-client's process/runtime metrics on /metrics" }),
  }),
  dev: section({
    tokenEndpoint: z.boolean().default(false).meta({ description: 'Enable POST /v1/dev/token (anyone can mint tokens: development only)' }),
  }),
}).superRefine((config, context) => {
  if (config.webhooks.urls.length > 0 && config.webhooks.secret.length < 16) {
    context.addIssue({ code: 'custom', path: ['webhooks', 'secret'], message: 'webhooks need a signing secret of at least 16 characters' });
  }
  if (config.turn.nodes.length > 0 && config.turn.internalToken === '') {
    context.addIssue({ code: 'custom', path: ['turn', 'internalToken'], message: 'polling TURN nodes needs their internal token' });
  }
});

export type SignalConfig = z.infer<typeof SignalConfigSchema>;

type DeepPartial<T> = T extends readonly (infer _U)[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
/** What callers may pass to `startSignalServer({ config })`: any subset, the rest defaults. */
export type SignalConfigInput = DeepPartial<SignalConfig>;
