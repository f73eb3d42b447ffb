import { startUwsEcho } from './uws-echo.js';
import { startWsBaselineBroker } from './ws-baseline.js';

/**
 * The brokers a signaling benchmark can run, started by name, so one child-process entry
 * (broker-process.ts) can host any of them pinned to a core.
 */
export type BrokerKind = 'parley' | 'ws-baseline' | 'uws-echo';

export interface BrokerOptions {
  /** Parley only: the HS256 secret its tokens are signed with. */
  hs256Secret?: string;
  /** Parley only: TURN REST secret, so the credential API has something to sign with. */
  turnSecret?: string;
}

export interface RunningBroker {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startBroker(kind: BrokerKind, options: BrokerOptions): Promise<RunningBroker> {
  switch (kind) {
    case 'ws-baseline':
      return startWsBaselineBroker();
    case 'uws-echo': {
      const echo = await startUwsEcho();
      return { port: echo.port, stop: async () => echo.stop() };
    }
    case 'parley':
      return startParleyForLoad(options);
  }
}

async function startParleyForLoad(_options: BrokerOptions): Promise<RunningBroker> {
  throw new Error('the Parley signal server is not available in this branch yet');
}
