import { describe, expect, it } from 'vitest';
import { childSpecs, LOCAL_DEMO_ALLOWED_PEERS, type UpContext } from './children.js';

const context: UpContext = {
  host: '127.0.0.1',
  signalPort: 8080,
  dashboardPort: 3000,
  turnPort: 3480,
  turnHttpPort: 9642,
  secrets: { jwtSecret: 'jwt-secret', turnSecret: 'turn-secret', internalToken: 'internal-token', createdAt: '2026-01-01T00:00:00.000Z' },
  env: { PATH: '/usr/bin' },
};

describe('children of parley up', () => {
  it('starts the relay first and wires the signal server to it with the same TURN secret and internal token', () => {
    const [turn, signal, dashboard] = childSpecs(context);
    expect([turn!.name, signal!.name, dashboard!.name]).toEqual(['turn', 'signal', 'dashboard']);
    expect(turn!.args.at(-1)).toBe('turn');
    expect(turn!.env).toMatchObject({
      PARLEY_TURN_LISTEN__UDP_PORT: '3480',
      PARLEY_TURN_LISTEN__TCP_PORT: '3480',
      PARLEY_TURN_HTTP__PORT: '9642',
      PARLEY_TURN_AUTH__SECRETS: 'turn-secret',
      PARLEY_TURN_HTTP__INTERNAL_TOKEN: 'internal-token',
    });
    expect(signal!.env).toMatchObject({
      PARLEY_SIGNAL_TURN__SECRETS: 'turn-secret',
      PARLEY_SIGNAL_TURN__URLS: 'turn:127.0.0.1:3480?transport=udp,turn:127.0.0.1:3480?transport=tcp',
      PARLEY_SIGNAL_TURN__NODES: 'http://127.0.0.1:9642/v1/status',
      PARLEY_SIGNAL_TURN__INTERNAL_TOKEN: 'internal-token',
    });
    expect(turn!.readinessUrl).toBe('http://127.0.0.1:9642/healthz');
  });

  it('opens loopback and private peers on the relay of the demo only, and says so in the banner', () => {
    const specs = childSpecs(context);
    const [turn] = specs;
    expect(turn!.env.PARLEY_TURN_POLICY__ALLOW_PEERS).toBe(LOCAL_DEMO_ALLOWED_PEERS.join(','));
    for (const spec of specs.slice(1)) expect(Object.keys(spec.env).filter((name) => name.includes('ALLOW_PEERS'))).toEqual([]);
    expect(turn!.banner!.join('\n')).toMatch(/^WARNING .*loopback and private networks \(127\.0\.0\.0\/8 /m);
  });

  it('lets a PARLEY_* variable of the environment win over the defaults it sets', () => {
    const [turn] = childSpecs({ ...context, env: { PARLEY_TURN_POLICY__ALLOW_PEERS: '127.0.0.1/32', PARLEY_TURN_RELAY__MIN_PORT: '50000' } });
    expect(turn!.env.PARLEY_TURN_POLICY__ALLOW_PEERS).toBe('127.0.0.1/32');
    expect(turn!.env.PARLEY_TURN_RELAY__MIN_PORT).toBe('50000');
  });

  it('advertises 127.0.0.1 in the relay URLs when listening on every interface', () => {
    const [, signal] = childSpecs({ ...context, host: '0.0.0.0' });
    expect(signal!.env.PARLEY_SIGNAL_TURN__URLS).toBe('turn:127.0.0.1:3480?transport=udp,turn:127.0.0.1:3480?transport=tcp');
  });
});
