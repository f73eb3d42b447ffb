import { randomBytes } from 'node:crypto';
import { formatTurnUsername, turnPassword } from '@parley/turn/credentials';
import { startTurnServer, type TurnServer } from '@parley/turn';

/**
 * Parley's own TURN relay for browser tests: listeners and relayed sockets on 127.0.0.1, the
 * loopback range allowed as a peer (denied by default, and the only network tests may use).
 */
export interface TestRelay {
  turn: TurnServer;
  secret: string;
  /** ICE servers with fresh REST credentials, restricted to one client transport. */
  iceServers(transport: 'udp' | 'tcp', options?: { ttlSeconds?: number; userId?: string }): Array<{ urls: string[]; username: string; credential: string }>;
  stop(): Promise<void>;
}

export async function startTestRelay(options: { secret?: string; expiryPolicy?: 'allocate-only' | 'strict'; udpPort?: number; tcpPort?: number } = {}): Promise<TestRelay> {
  const secret = options.secret ?? randomBytes(16).toString('hex');
  const turn = await startTurnServer({
    config: {
      listen: { hosts: ['127.0.0.1'], udpPort: options.udpPort ?? 0, tcpPort: options.tcpPort ?? 0 },
      relay: { ips: ['127.0.0.1'] },
      http: { host: '127.0.0.1', port: 0, internalToken: randomBytes(16).toString('hex') },
      auth: { secrets: [secret], ...(options.expiryPolicy ? { expiryPolicy: options.expiryPolicy } : {}) },
      policy: { allowPeers: ['127.0.0.0/8'] },
      log: { level: 'error' },
    },
  });
  return {
    turn,
    secret,
    iceServers(transport, { ttlSeconds = 600, userId = 'tester' } = {}) {
      const username = formatTurnUsername(Math.floor(Date.now() / 1000) + ttlSeconds, { userId, sessionTag: randomBytes(4).toString('hex') });
      const urls = turn.urls.filter((url) => url.startsWith('turn:') && url.endsWith(`transport=${transport}`));
      return [{ urls, username, credential: turnPassword(secret, username) }];
    },
    stop: () => turn.stop(),
  };
}
