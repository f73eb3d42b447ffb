import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino must never print. Config secrets are redacted by `redactConfig`; these catch the
 * places where credentials travel through request data.
 */
export const REDACT_PATHS = [
  'token',
  'accessToken',
  'password',
  'secret',
  'secrets',
  'credential',
  'authorization',
  '*.token',
  '*.accessToken',
  '*.password',
  '*.secret',
  '*.secrets',
  '*.credential',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

export interface RootLoggerOptions {
  /** Logger name: the process ("signal", "turn", "up"). */
  name: string;
  level: string;
  /** Extra fields on every line (node id, version). */
  base?: Record<string, unknown>;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

/** The one root logger of a process; everything else gets a child of it. */
export function createRootLogger(options: RootLoggerOptions): Logger {
  const pinoOptions: LoggerOptions = {
    name: options.name,
    level: options.level,
    base: { pid: process.pid, ...options.base },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
