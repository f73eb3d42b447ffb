import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, configLeaves, envNameFor, loadConfig, redactConfig, renderConfigMarkdown, section } from './config.js';

const schema = z.strictObject({
  http: section({
    port: z.number().int().min(0).max(65535).default(8080).meta({ description: 'listen port' }),
    host: z.string().default('0.0.0.0'),
  }),
  auth: section({
    hs256Secrets: z.array(z.string().min(16)).default([]).meta({ description: 'JWT secrets', secret: true }),
    leewaySeconds: z.number().min(0).default(5).meta({ unit: 'seconds' }),
  }),
  debug: z.boolean().default(false),
  webhooks: z.array(z.object({ url: z.string() })).default([]),
});

describe('config loading', () => {
  it('derives env names from the schema path', () => {
    expect(envNameFor('PARLEY_SIGNAL_', ['auth', 'hs256Secrets'])).toBe('PARLEY_SIGNAL_AUTH__HS256_SECRETS');
    expect(configLeaves(schema, 'P_').map((leaf) => leaf.envName)).toEqual([
      'P_HTTP__PORT',
      'P_HTTP__HOST',
      'P_AUTH__HS256_SECRETS',
      'P_AUTH__LEEWAY_SECONDS',
      'P_DEBUG',
      'P_WEBHOOKS',
    ]);
  });

  it('fills every default when nothing is given, sections included', () => {
    const config = loadConfig(schema, 'P_');
    expect(config).toEqual({ http: { port: 8080, host: '0.0.0.0' }, auth: { hs256Secrets: [], leewaySeconds: 5 }, debug: false, webhooks: [] });
  });

  it('lets the file override defaults and the environment override the file', () => {
    const config = loadConfig(schema, 'P_', {
      file: { http: { port: 9000, host: '127.0.0.1' } },
      env: { P_HTTP__PORT: '9100', P_DEBUG: 'true', P_AUTH__HS256_SECRETS: 'aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbb', P_WEBHOOKS: '[{"url":"http://x"}]' },
    });
    expect(config.http).toEqual({ port: 9100, host: '127.0.0.1' });
    expect(config.debug).toBe(true);
    expect(config.auth.hs256Secrets).toEqual(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']);
    expect(config.webhooks).toEqual([{ url: 'http://x' }]);
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig(schema, 'P_');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(Object.isFrozen(config.auth.hs256Secrets)).toBe(true);
  });

  it('names the path and the env variable of every bad value', () => {
    let caught: unknown;
    try {
      loadConfig(schema, 'P_', { env: { P_HTTP__PORT: 'eighty', P_AUTH__HS256_SECRETS: 'short', P_NOPE: '1' } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const issues = (caught as ConfigError).issues;
    expect(issues.map((issue) => issue.envName).sort()).toEqual(['P_AUTH__HS256_SECRETS', 'P_HTTP__PORT', 'P_NOPE']);
  });

  it('rejects unknown keys in the file', () => {
    expect(() => loadConfig(schema, 'P_', { file: { http: { prot: 1 } } })).toThrow(ConfigError);
  });

  it('redacts secret leaves and nothing else', () => {
    const config = loadConfig(schema, 'P_', { env: { P_AUTH__HS256_SECRETS: 'aaaaaaaaaaaaaaaa' } });
    const redacted = redactConfig(schema, config) as typeof config;
    expect(redacted.auth.hs256Secrets).toEqual(['[redacted]']);
    expect(JSON.stringify(redacted)).not.toContain('aaaaaaaaaaaaaaaa');
    expect(redacted.http.port).toBe(8080);
  });

  it('renders a reference table without secret defaults', () => {
    const markdown = renderConfigMarkdown('signal', schema, 'P_');
    expect(markdown).toContain('| `http.port` | `P_HTTP__PORT` | number | `8080` | listen port |');
    expect(markdown).toContain('**secret**');
  });
});
