import { WS_PATH } from '@parley/protocol';
import { mintHs256Token } from './client/hs256.js';

/**
 * What the harness drives. Every broker speaks the same wire protocol (DESIGN §2), so the same
 * scenarios and the same client run against all of them; a target only says how to reach it,
 * how its users authenticate and which parts of the protocol it implements.
 */
export type TargetKind = 'parley' | 'ws-baseline' | 'uws-echo' | 'uws-relay';

export interface SignalTarget {
  /** Label in reports. */
  readonly name: string;
  readonly kind: TargetKind;
  /** `ws://host:port`, no path. */
  readonly wsOrigin: string;
  /** `http://host:port`, no path. */
  readonly httpOrigin: string;
  /** An access token for `userId` allowed to join (and create) any room. */
  tokenFor(userId: string): string;
  /** The broker sends `session` and answers `room.join`; false for the echo server. */
  readonly speaksProtocol: boolean;
  /** Relayed messages carry `from` (false for the echo server, which returns frames verbatim). */
  readonly stampsFrom: boolean;
  readonly supportsResume: boolean;
}

export interface ParleyTargetOptions {
  wsOrigin: string;
  httpOrigin: string;
  /** The broker's HS256 secret (its first `auth` key), to mint one token per load-test user. */
  hs256Secret: string;
  keyId?: string;
  audience?: string;
  issuer?: string;
  name?: string;
}

export function parleyTarget(options: ParleyTargetOptions): SignalTarget {
  return {
    name: options.name ?? 'parley (uWS)',
    kind: 'parley',
    wsOrigin: options.wsOrigin,
    httpOrigin: options.httpOrigin,
    tokenFor: (userId) =>
      mintHs256Token(options.hs256Secret, {
        userId,
        rooms: ['*'],
        create: true,
        ...(options.keyId ? { keyId: options.keyId } : {}),
        ...(options.audience ? { audience: options.audience } : {}),
        ...(options.issuer ? { issuer: options.issuer } : {}),
      }),
    speaksProtocol: true,
    stampsFrom: true,
    supportsResume: true,
  };
}

/** The minimal `ws` broker of brokers/ws-baseline.ts: same protocol subset, no auth. */
export function wsBaselineTarget(origin: { wsOrigin: string; httpOrigin: string }): SignalTarget {
  return {
    name: 'ws baseline',
    kind: 'ws-baseline',
    ...origin,
    tokenFor: () => 'unused',
    speaksProtocol: true,
    stampsFrom: true,
    supportsResume: false,
  };
}

/** The relay floor of brokers/uws-relay.ts: the ws baseline's protocol subset, no auth. */
export function uwsRelayTarget(origin: { wsOrigin: string; httpOrigin: string }): SignalTarget {
  return { ...wsBaselineTarget(origin), name: 'uWS relay floor', kind: 'uws-relay' };
}

/** The uWS echo server of brokers/uws-echo.ts, used to measure the generator's own ceiling. */
export function echoTarget(origin: { wsOrigin: string; httpOrigin: string }): SignalTarget {
  return {
    name: 'uWS echo',
    kind: 'uws-echo',
    ...origin,
    tokenFor: () => 'unused',
    speaksProtocol: false,
    stampsFrom: false,
    supportsResume: false,
  };
}

export function wsUrlFor(target: SignalTarget, userId: string, resumeToken?: string): string {
  const query = new URLSearchParams({ access_token: target.tokenFor(userId) });
  if (resumeToken) query.set('resume', resumeToken);
  return `${target.wsOrigin}${WS_PATH}?${query}`;
}
