import { ConfigError, configLeaves, loadConfig } from '@parley/runtime';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_ENV_PREFIX, DashboardConfigSchema } from './config.js';

describe('dashboard config', () => {
  it('has a default and a description for every setting', () => {
    for (const leaf of configLeaves(DashboardConfigSchema, DASHBOARD_ENV_PREFIX)) {
      expect(leaf.defaultValue, leaf.envName).not.toBeUndefined();
      expect(leaf.meta.description, leaf.envName).toBeTruthy();
    }
  });

  it('reads the signal server URL and port from PARLEY_DASHBOARD_ variables', () => {
    const config = loadConfig(DashboardConfigSchema, DASHBOARD_ENV_PREFIX, {
      env: { PARLEY_DASHBOARD_SIGNAL__URL: 'http://10.0.0.5:8080', PARLEY_DASHBOARD_HTTP__PORT: '0' },
    });
    expect(config.signal.url).toBe('http://10.0.0.5:8080');
    expect(config.http.port).toBe(0);
    expect(Object.isFrozen(config.signal)).toBe(true);
  });

  it('refuses a signal URL that is not http(s), naming the variable', () => {
    expect(() => loadConfig(DashboardConfigSchema, DASHBOARD_ENV_PREFIX, { env: { PARLEY_DASHBOARD_SIGNAL__URL: 'ftp://x' } })).toThrow(ConfigError);
    try {
      loadConfig(DashboardConfigSchema, DASHBOARD_ENV_PREFIX, { env: { PARLEY_DASHBOARD_SIGNAL__URL: 'ftp://x' } });
    } catch (error) {
      expect((error as ConfigError).issues[0]).toMatchObject({ path: 'signal.url', envName: 'PARLEY_DASHBOARD_SIGNAL__URL' });
    }
  });

  it('marks the session secret as secret', () => {
    const leaf = configLeaves(DashboardConfigSchema, DASHBOARD_ENV_PREFIX).find((candidate) => candidate.envName === 'PARLEY_DASHBOARD_SESSION__SECRET');
    expect(leaf?.meta.secret).toBe(true);
  });
});
