import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as connectTcp, type Socket as TcpSocket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { turnPassword } from '../src/credentials.js';
import { decodeChannelData, encodeChannelData, encodeChannelNumber, encodeRequestedTransport, StreamDeframer } from '../src/proto/index.js';
import {
  ATTR_CHANNEL_NUMBER,
  ATTR_DATA,
  ATTR_ERROR_CODE,
  ATTR_LIFETIME,
  ATTR_NONCE,
  ATTR_REALM,
  ATTR_REQUESTED_TRANSPORT,
  ATTR_USERNAME,
  ATTR_XOR_PEER_ADDRESS,
  ATTR_XOR_RELAYED_ADDRESS,
  CLASS_ERROR,
  CLASS_INDICATION,
  CLASS_REQUEST,
  decodeErrorCode,
  decodeStunMessage,
  decodeText,
  decodeUint32,
  decodeXorAddress,
  encodeStunMessage,
  encodeUint32,
  encodeXorAddress,
  getAttribute,
  longTermKey,
  METHOD_ALLOCATE,
  METHOD_CHANNEL_BIND,
  METHOD_CREATE_PERMISSION,
  METHOD_DATA,
  METHOD_REFRESH,
  METHOD_SEND,
  TRANSPORT_UDP,
  verifyIntegrity,
  type StunAttributeInput,
  type StunMessage,
  type TransportAddress,
} from '../src/stun/index.js';

/**
 * A small TURN client built on Parley's codec, for integration tests. It speaks UDP, TCP or TLS,
 * does the 401 → long-term credential dance, and exposes every response so tests can assert
 * exact error codes. (Interop with clients nobody here wrote is tested with coturn's tools,
 * werift and Chromium.)
 */
export interface Credentials {
  username: string;
  password: string;
}

export function restCredentials(secret: string, expiresAtSeconds: number, id = 'test-user'): Credentials {
  const username = `${expiresAtSeconds}:${id}`;
  return { username, password: turnPassword(secret, username) };
}

export interface Received {
  peer: TransportAddress;
  data: Buffer;
  channel: number | null;
  /** Bytes of the datagram or stream frame it came in, padding included. */
  wireBytes: number;
}

export class TurnTestClient {
  private readonly waiting = new Map<string, (message: StunMessage) => void>();
  readonly received: Received[] = [];
  private readonly channels = new Map<number, TransportAddress>();
  realm = '';
  nonce = '';
  key: Buffer | null = null;
  credentials: Credentials | null = null;
  relayed: TransportAddress[] = [];
  /** Every STUN message that arrived, in order (responses and indications). */
  readonly messages: StunMessage[] = [];
  closed = false;

  private constructor(
    readonly transport: 'udp' | 'tcp' | 'tls',
    private readonly write: (bytes: Buffer) => void,
    private readonly closeSocket: () => void,
  ) {}

  static async udp(port: number, host = '127.0.0.1', localAddress = '127.0.0.1'): Promise<TurnTestClient> {
    const socket: UdpSocket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(0, localAddress, resolve));
    const client = new TurnTestClient(
      'udp',
      (bytes) => socket.send(bytes, port, host),
      () => socket.close(),
    );
    socket.on('message', (datagram) => client.onBytes(Buffer.from(datagram)));
    return client;
  }

  static async stream(transport: 'tcp' | 'tls', port: number, host = '127.0.0.1'): Promise<TurnTestClient> {
    const socket: TcpSocket = await new Promise((resolve, reject) => {
      const s = transport === 'tls' ? connectTls({ port, host, rejectUnauthorized: false }, () => resolve(s)) : connectTcp({ port, host }, () => resolve(s));
      s.once('error', reject);
    });
    const client = new TurnTestClient(
      transport,
      (bytes) => socket.write(bytes),
      () => socket.destroy(),
    );
    const deframer = new StreamDeframer((frame) => client.onBytes(Buffer.from(frame)), 70_000);
    socket.on('data', (chunk: Buffer) => deframer.push(chunk));
    socket.on('close', () => {
      client.closed = true;
    });
    return client;
  }

  /** Sends raw bytes (for malformed-input tests). */
  sendRaw(bytes: Buffer): void {
    this.write(bytes);
  }

  private onBytes(bytes: Buffer): void {
    if ((bytes[0]! & 0xc0) === 0x40) {
      const channelData = decodeChannelData(bytes);
      if (!channelData) return;
      const peer = this.channels.get(channelData.channel);
      if (peer) this.received.push({ peer, data: Buffer.from(channelData.data), channel: channelData.channel, wireBytes: bytes.length });
      return;
    }
    const decoded = decodeStunMessage(bytes);
    if (!decoded.ok) return;
    const message = decoded.message;
    this.messages.push(message);
    if (message.cls === CLASS_INDICATION && message.method === METHOD_DATA) {
      const peer = decodeXorAddress(getAttribute(message, ATTR_XOR_PEER_ADDRESS)!, message.transactionId);
      const data = getAttribute(message, ATTR_DATA);
      if (peer && data) this.received.push({ peer, data: Buffer.from(data), channel: null, wireBytes: bytes.length });
      return;
    }
    const waiter = this.waiting.get(message.transactionId.toString('hex'));
    if (waiter) waiter(message);
  }

  /** Sends a request and resolves with its response (retransmitting over UDP, RFC 8489 §6.2.1). */
  async request(method: number, attributes: StunAttributeInput[], options: { sign?: boolean; transactionId?: Buffer; fingerprint?: boolean } = {}): Promise<StunMessage> {
    const transactionId = options.transactionId ?? randomBytes(12);
    const signed = options.sign !== false && this.key !== null;
    const all = signed
      ? [
          ...attributes,
          { type: ATTR_USERNAME, value: Buffer.from(this.credentials!.username) },
          { type: ATTR_REALM, value: Buffer.from(this.realm) },
          { type: ATTR_NONCE, value: Buffer.from(this.nonce) },
        ]
      : attributes;
    const bytes = encodeStunMessage(
      { method, cls: CLASS_REQUEST, transactionId, attributes: all },
      { integrity: signed ? { key: this.key!, algorithm: 'sha1' } : undefined, fingerprint: options.fingerprint ?? true },
    );
    const key = transactionId.toString('hex');
    return new Promise<StunMessage>((resolve, reject) => {
      let attempts = 0;
      const timers: NodeJS.Timeout[] = [];
      const finish = () => {
        for (const timer of timers) clearTimeout(timer);
        this.waiting.delete(key);
      };
      this.waiting.set(key, (message) => {
        finish();
        resolve(message);
      });
      const send = () => {
        attempts++;
        this.write(bytes);
        if (this.transport === 'udp' && attempts < 5) timers.push(setTimeout(send, 250 * attempts));
      };
      send();
      timers.push(
        setTimeout(() => {
          finish();
          reject(new Error(`no response to method 0x${method.toString(16)} within 5 s`));
        }, 5000),
      );
    });
  }

  /** Sends an authenticated request; on 438 adopts the fresh nonce and retries once. */
  async authedRequest(method: number, attributes: StunAttributeInput[], transactionId?: Buffer): Promise<StunMessage> {
    let response = await this.request(method, attributes, { transactionId });
    if (errorCodeOf(response) === 438) {
      this.nonce = decodeText(getAttribute(response, ATTR_NONCE), 763)!;
      response = await this.request(method, attributes, { transactionId });
    }
    return response;
  }

  /** Allocate with the 401 dance; resolves with the final response (success or error). */
  async allocate(credentials: Credentials, extra: StunAttributeInput[] = []): Promise<StunMessage> {
    this.credentials = credentials;
    const attributes = [{ type: ATTR_REQUESTED_TRANSPORT, value: encodeRequestedTransport(TRANSPORT_UDP) }, ...extra];
    const challenge = await this.request(METHOD_ALLOCATE, attributes, { sign: false });
    if (errorCodeOf(challenge) !== 401) return challenge;
    this.realm = decodeText(getAttribute(challenge, ATTR_REALM), 763)!;
    this.nonce = decodeText(getAttribute(challenge, ATTR_NONCE), 763)!;
    this.key = longTermKey(credentials.username, this.realm, credentials.password);
    const response = await this.authedRequest(METHOD_ALLOCATE, attributes);
    if (response.cls !== CLASS_ERROR) {
      this.relayed = response.attributes
        .filter((attribute) => attribute.type === ATTR_XOR_RELAYED_ADDRESS)
        .map((attribute) => decodeXorAddress(attribute.value, response.transactionId)!);
    }
    return response;
  }

  createPermission(...peers: TransportAddress[]): Promise<StunMessage> {
    const transactionId = randomBytes(12);
    return this.authedRequest(
      METHOD_CREATE_PERMISSION,
      peers.map((peer) => ({ type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, transactionId) })),
      transactionId,
    );
  }

  async channelBind(channel: number, peer: TransportAddress): Promise<StunMessage> {
    const transactionId = randomBytes(12);
    const response = await this.authedRequest(
      METHOD_CHANNEL_BIND,
      [
        { type: ATTR_CHANNEL_NUMBER, value: encodeChannelNumber(channel) },
        { type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, transactionId) },
      ],
      transactionId,
    );
    if (response.cls !== CLASS_ERROR) this.channels.set(channel, peer);
    return response;
  }

  refresh(lifetimeSeconds?: number): Promise<StunMessage> {
    return this.authedRequest(METHOD_REFRESH, lifetimeSeconds === undefined ? [] : [{ type: ATTR_LIFETIME, value: encodeUint32(lifetimeSeconds) }]);
  }

  sendIndication(peer: TransportAddress, data: Buffer): void {
    const transactionId = randomBytes(12);
    this.write(
      encodeStunMessage({
        method: METHOD_SEND,
        cls: CLASS_INDICATION,
        transactionId,
        attributes: [
          { type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, transactionId) },
          { type: ATTR_DATA, value: data },
        ],
      }),
    );
  }

  sendChannelData(channel: number, data: Buffer): void {
    this.write(encodeChannelData(channel, data, this.transport !== 'udp'));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeSocket();
  }
}

export function errorCodeOf(message: StunMessage): number | null {
  if (message.cls !== CLASS_ERROR) return null;
  return decodeErrorCode(getAttribute(message, ATTR_ERROR_CODE))?.code ?? null;
}

export function lifetimeOf(message: StunMessage): number | null {
  return decodeUint32(getAttribute(message, ATTR_LIFETIME));
}

export function responseVerifies(client: TurnTestClient, message: StunMessage): boolean {
  return client.key !== null && verifyIntegrity(message, client.key) !== null;
}

/** A plain UDP socket standing in for a peer on the Internet side of the relay. */
export async function udpPeer(host = '127.0.0.1'): Promise<{ socket: UdpSocket; address: TransportAddress; received: { data: Buffer; from: TransportAddress }[]; close(): void }> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  const received: { data: Buffer; from: TransportAddress }[] = [];
  socket.on('message', (data, remote) => received.push({ data, from: { family: remote.family === 'IPv6' ? 6 : 4, address: remote.address, port: remote.port } }));
  return { socket, address: { family: host.includes(':') ? 6 : 4, address: host, port: socket.address().port }, received, close: () => socket.close() };
}
