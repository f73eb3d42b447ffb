/**
 * transport/ — the only importer of dgram, net, tls, http and the turn/native addon in turn/: the
 * datagram-socket interface with its two I/O paths (dgram, batched), the UDP listener, the TCP
 * and TLS listeners with stream framing, the relay port pool, the HTTP listener. Rule of this
 * folder: move bytes between sockets and the ports/handlers; decide nothing about TURN itself.
 */
export * from './datagram-socket.js';
export * from './batched-udp.js';
export * from './udp-io.js';
export * from './udp-listener.js';
export * from './stream-listener.js';
export * from './relay-port-pool.js';
export * from './http-server.js';
