import { randomBytes } from 'node:crypto';
import { encodeChannelData, encodeChannelNumber, encodeRequestedTransport } from '@parley/turn/proto';
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
  decodeXorAddress,
  encodeStunMessage,
  encodeUint32,
  encodeXorAddress,
  getAttribute,
  longTermKey,
  METHOD_ALLOCATE,
  METHOD_CHANNEL_BIND,
  METHOD_CREATE_PERMISSION,
  METHOD_REFRESH,
  METHOD_SEND,
  TRANSPORT_UDP,
  type StunAttributeInput,
  type StunMessage,
  type TransportAddress,
} from '@parley/turn/stun';
import { dgramIo, loadBatchedUdp, type DatagramIo, type DatagramSocket } from '@parley/turn/transport';

/**
 * A TURN-over-UDP client for load: Parley's codec for the control messages, pre-encoded packets
 * for the data. It sends only what any RFC 5766 server understands (no REQUESTED-ADDRESS-FAMILY,
 * no EVEN-PORT, no FINGERPRINT requirement), so the same client drives Parley, coturn and node-turn.
 */
/** Where the payload starts in a ChannelData message and in a Send/Data indication with an IPv4 peer. */
export const CHANNEL_PAYLOAD_OFFSET = 4;
export const INDICATION_PAYLOAD_OFFSET = 20 + 12 + 4;

export interface LoadCredentials {
  username: string;
  password: string;
}

/**
 * Transaction ids cut from a refilled block of random bytes: a `randomBytes(12)` call per request
 * was the load client's largest single cost in the allocation workload, where the client (not
 * the relay under test) set the closed-loop rate.
 */
const TRANSACTION_ID_BYTES = 12;
let randomBlock = randomBytes(0);
let randomOffset = 0;
function newTransactionId(): Buffer {
  if (randomOffset + TRANSACTION_ID_BYTES > randomBlock.length) {
    randomBlock = randomBytes(TRANSACTION_ID_BYTES * 1024);
    randomOffset = 0;
  }
  const id = Buffer.from(randomBlock.subarray(randomOffset, randomOffset + TRANSACTION_ID_BYTES));
  randomOffset += TRANSACTION_ID_BYTES;
  return id;
}

/** Long-term keys by username, realm and password: every allocation cycle of one credential derives the same MD5. */
const keyCache = new Map<string, Buffer>();
function cachedLongTermKey(username: string, realm: string, password: string): Buffer {
  const cacheKey = `${username}\n${realm}\n${password}`;
  let key = keyCache.get(cacheKey);
  if (key === undefined) {
    key = longTermKey(username, realm, password);
    if (keyCache.size >= 1024) keyCache.clear();
    keyCache.set(cacheKey, key);
  }
  return key;
}

/** Socket buffers of clients that carry data; allocation-only clients keep the system default (two system calls less per cycle). */
const DATA_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * The load client's UDP I/O: node:dgram, or the relay's own batched addon (recvmmsg/sendmmsg) for
 * when the client's per-datagram cost, not the server, would set the measured rate.
 */
export function loadClientIo(kind: 'dgram' | 'batched'): DatagramIo {
  if (kind === 'dgram') return dgramIo;
  const batched = loadBatchedUdp();
  if (!batched.ok) throw new Error(`batched load-client I/O: ${batched.reason}`);
  return batched.io;
}

export interface LoadClientOptions {
  /** Local address to bind (distinct loopback addresses spread allocation clients over source IPs). */
  localHost?: string;
  /** false for clients that only allocate and release: no large socket buffers, always node:dgram. */
  dataSocket?: boolean;
  /** UDP I/O of data sockets (node:dgram unless given). */
  io?: DatagramIo;
}

export class LoadTurnClient {
  private socket!: DatagramSocket;
  private readonly pending = new Map<string, (message: StunMessage) => void>();
  private realm = '';
  private nonce = '';
  private key: Buffer | null = null;
  relayed: TransportAddress | null = null;
  /** Data packets (ChannelData or Data indications) of the current trial received. */
  received = 0;
  /** Only packets whose payload starts with this tag are counted (late packets of an earlier trial are not). */
  trialTag = 0;

  private constructor(
    private readonly serverPort: number,
    private readonly serverHost: string,
    private readonly credentials: LoadCredentials,
  ) {}

  static async open(serverPort: number, serverHost: string, credentials: LoadCredentials, options: LoadClientOptions = {}): Promise<LoadTurnClient> {
    const { localHost = '127.0.0.1', dataSocket = true, io = dgramIo } = options;
    const client = new LoadTurnClient(serverPort, serverHost, credentials);
    client.socket = await (dataSocket ? io : dgramIo).bind({
      family: 4,
      address: localHost,
      port: 0,
      bufferBytes: dataSocket ? DATA_SOCKET_BUFFER_BYTES : 0,
      onDatagram: (datagram) => client.onDatagram(datagram),
      onSendFailed: () => undefined,
      onError: () => undefined,
    });
    return client;
  }

  private onDatagram(datagram: Buffer): void {
    const first = datagram[0]!;
    if ((first & 0xc0) === 0x40) {
      if (datagram.length >= 8 && datagram.readUInt32BE(CHANNEL_PAYLOAD_OFFSET) === this.trialTag) this.received++;
      return;
    }
    // Data indication (type 0x0017): servers order its attributes differently, so find DATA.
    if (first === 0x00 && datagram[1] === 0x17) {
      const offset = dataAttributeOffset(datagram);
      if (offset !== -1 && offset + 4 <= datagram.length && datagram.readUInt32BE(offset) === this.trialTag) this.received++;
      return;
    }
    const decoded = decodeStunMessage(datagram);
    if (!decoded.ok) return;
    const waiter = this.pending.get(decoded.message.transactionId.toString('hex'));
    if (waiter) waiter(decoded.message);
  }

  request(method: number, attributes: StunAttributeInput[], transactionId: Buffer = newTransactionId(), timeoutMs = 3000): Promise<StunMessage> {
    const signed = this.key !== null;
    const all = signed
      ? [
          ...attributes,
          { type: ATTR_USERNAME, value: Buffer.from(this.credentials.username) },
          { type: ATTR_REALM, value: Buffer.from(this.realm) },
          { type: ATTR_NONCE, value: Buffer.from(this.nonce) },
        ]
      : attributes;
    const bytes = encodeStunMessage({ method, cls: CLASS_REQUEST, transactionId, attributes: all }, signed ? { integrity: { key: this.key!, algorithm: 'sha1' } } : {});
    const id = transactionId.toString('hex');
    return new Promise((resolve, reject) => {
      const retransmit = setInterval(() => this.socket.send(bytes, this.serverPort, this.serverHost), 500);
      const timer = setTimeout(() => {
        clearInterval(retransmit);
        this.pending.delete(id);
        reject(new Error(`no answer to 0x${method.toString(16)}`));
      }, timeoutMs);
      this.pending.set(id, (message) => {
        clearInterval(retransmit);
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(message);
      });
      this.socket.send(bytes, this.serverPort, this.serverHost);
    });
  }

  /** A request with the long-term dance: learns realm and nonce from 401/438 and retries. */
  async authenticated(method: number, attributes: StunAttributeInput[], transactionId?: Buffer): Promise<StunMessage> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = transactionId ?? newTransactionId();
      const response = await this.request(method, attributes, id);
      const code = errorCode(response);
      if (code !== 401 && code !== 438) return response;
      if (code === 401 && this.key !== null && attempt > 0) return response;
      this.realm = getAttribute(response, ATTR_REALM)?.toString() ?? this.realm;
      this.nonce = getAttribute(response, ATTR_NONCE)?.toString() ?? this.nonce;
      this.key = cachedLongTermKey(this.credentials.username, this.realm, this.credentials.password);
    }
    throw new Error('authentication did not converge');
  }

  async allocate(): Promise<TransportAddress> {
    const response = await this.authenticated(METHOD_ALLOCATE, [{ type: ATTR_REQUESTED_TRANSPORT, value: encodeRequestedTransport(TRANSPORT_UDP) }]);
    const relayed = getAttribute(response, ATTR_XOR_RELAYED_ADDRESS);
    if (response.cls === CLASS_ERROR || !relayed) throw new Error(`allocate failed: ${errorCode(response)}`);
    this.relayed = decodeXorAddress(relayed, response.transactionId);
    return this.relayed!;
  }

  async release(): Promise<void> {
    await this.authenticated(METHOD_REFRESH, [{ type: ATTR_LIFETIME, value: encodeUint32(0) }]);
    this.relayed = null;
  }

  async createPermission(peer: TransportAddress): Promise<void> {
    const id = newTransactionId();
    const response = await this.authenticated(METHOD_CREATE_PERMISSION, [{ type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, id) }], id);
    if (response.cls === CLASS_ERROR) throw new Error(`CreatePermission failed: ${errorCode(response)}`);
  }

  async channelBind(channel: number, peer: TransportAddress): Promise<void> {
    const id = newTransactionId();
    const response = await this.authenticated(
      METHOD_CHANNEL_BIND,
      [
        { type: ATTR_CHANNEL_NUMBER, value: encodeChannelNumber(channel) },
        { type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, id) },
      ],
      id,
    );
    if (response.cls === CLASS_ERROR) throw new Error(`ChannelBind failed: ${errorCode(response)}`);
  }

  /** A ready-made ChannelData packet of `payloadBytes` (sent again and again). */
  static channelDataPacket(channel: number, payloadBytes: number): Buffer {
    return encodeChannelData(channel, Buffer.alloc(payloadBytes, 0x61));
  }

  /** A ready-made Send indication of `payloadBytes` to `peer`. */
  static sendIndicationPacket(peer: TransportAddress, payloadBytes: number): Buffer {
    const id = newTransactionId();
    return encodeStunMessage({
      method: METHOD_SEND,
      cls: CLASS_INDICATION,
      transactionId: id,
      attributes: [
        { type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, id) },
        { type: ATTR_DATA, value: Buffer.alloc(payloadBytes, 0x61) },
      ],
    });
  }

  sendRaw(packet: Buffer): void {
    this.socket.send(packet, this.serverPort, this.serverHost);
  }

  close(): void {
    this.socket.close();
  }
}

/** Offset of the DATA attribute's value in a STUN message, or -1. */
function dataAttributeOffset(message: Buffer): number {
  let offset = 20;
  while (offset + 4 <= message.length) {
    const type = message.readUInt16BE(offset);
    const length = message.readUInt16BE(offset + 2);
    if (type === ATTR_DATA) return offset + 4;
    offset += 4 + ((length + 3) & ~3);
  }
  return -1;
}

export function errorCode(message: StunMessage): number | null {
  return message.cls === CLASS_ERROR ? (decodeErrorCode(getAttribute(message, ATTR_ERROR_CODE))?.code ?? null) : null;
}
