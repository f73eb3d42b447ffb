import { startTurnServer, type TurnServer } from '../src/server.js';

/**
 * Our relay as the interop tests run it: listening on 127.0.0.1 on ports the OS picks, relayed
 * addresses on another loopback IP (127.0.0.2) than the clients'. Permissions are per IP, so a
 * check sent from a client's host socket cannot use the peer's permission for its relayed
 * address and only relay/relay paths work, as on a real network. Loopback peers are allowed
 * explicitly (the default deny list refuses them); logs are silent.
 */
export function startLoopbackRelay(options: { secret: string; internalToken?: string }): Promise<TurnServer> {
  return startTurnServer({
    config: {
      listen: { hosts: ['127.0.0.1'], udpPort: 0, tcpPort: 0 },
      relay: { ips: ['127.0.0.2'] },
      http: { host: '127.0.0.1', port: 0, ...(options.internalToken ? { internalToken: options.internalToken } : {}) },
      auth: { secrets: [options.secret] },
      policy: { allowPeers: ['127.0.0.0/8'] },
      log: { level: 'silent' },
    },
  });
}
