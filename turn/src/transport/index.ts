/**
 * transport/ — the only importer of dgram, net, tls and http in turn/: the UDP listener, the TCP
 * and TLS listeners with stream framing, the relay port pool, the HTTP listener. Rule of this
 * folder: move bytes between sockets and the ports/handlers; decide nothing about TURN itself.
 */
export * from './udp-listener.js';
export * from './stream-listener.js';
export * from './relay-port-pool.js';
export * from './http-server.js';
