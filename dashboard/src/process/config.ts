import { section } from '@parley/runtime';
import { z } from 'zod';

/**
 * The dashboard's configuration: one strict schema, every leaf with a default and a description.
 * Environment names are derived by @parley/runtime with the prefix PARLEY_DASHBOARD_
 * (e.g. `signal.url` → PARLEY_DASHBOARD_SIGNAL__URL).
 */
export const DASHBOARD_ENV_PREFIX = 'PARLEY_DASHBOARD_';

export const DashboardConfigSchema = z.strictObject({
  http: section({
    host: z.string().min(1).default('0.0.0.0').meta({ description: 'Address the dashboard listens on.' }),
    port: z.number().int().min(0).max(65_535).default(3000).meta({ description: 'Port the dashboard listens on (0 picks a free one).' }),
  }),
  signal: section({
    url: z
      .url({ protocol: /^https?$/ })
      .default('http://127.0.0.1:8080')
      .meta({ description: "Base URL of the signal server whose admin API the dashboard reads (the dashboard never talks to Redis or TURN nodes)." }),
    requestTimeoutMs: z.number().int().min(100).max(120_000).default(5000).meta({ description: 'Deadline of one admin API request.', unit: 'milliseconds' }),
  }),
  session: section({
    secret: z
      .string()
      .default('')
      .meta({
        description:
          'Key that seals the session cookie (AES-256-GCM). Empty: a random key per process, so sessions end when the dashboard restarts. Set the same value on every replica.',
        secret: true,
      }),
    maxAgeSeconds: z.number().int().min(60).max(7 * 86_400).default(12 * 3600).meta({ description: 'Longest a login lasts; it also ends when the admin token expires.', unit: 'seconds' }),
    secureCookie: z
      .enum(['auto', 'always', 'never'])
      .default('auto')
      .meta({ description: 'Mark the session cookie Secure: "auto" does when the request came over HTTPS (directly or per X-Forwarded-Proto).' }),
  }),
  live: section({
    refreshIntervalMs: z
      .number()
      .int()
      .min(500)
      .max(60_000)
      .default(2000)
      .meta({ description: 'Pages re-render at most this often while live events arrive (and poll at this pace when the event stream is down).', unit: 'milliseconds' }),
  }),
  log: section({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info').meta({ description: 'pino log level.' }),
  }),
});
export type DashboardConfig = z.infer<typeof DashboardConfigSchema>;
