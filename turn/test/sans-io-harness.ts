import type { Allocation } from '../src/allocation/allocation.js';
import { AllocationTable } from '../src/allocation/allocation-table.js';
import { PeerPolicy } from '../src/allocation/peer-policy.js';
import type { ClientLink, RelayOpenRequest, RelayOpenResult, RelaySocket, RelaySocketFactory } from '../src/allocation/ports.js';
import { ByteBucket } from '../src/allocation/quotas.js';
import { Authenticator } from '../src/auth/authenticator.js';
import { RevocationList } from '../src/auth/revocations.js';
import { TurnConfigSchema, type TurnConfig, type TurnConfigInput } from '../src/config.js';
import type { ControlEvents, HandlerContext } from '../src/handlers/context.js';
import { ControlPlane } from '../src/handlers/control-plane.js';
import { RelayEngine } from '../src/relay/relay-engine.js';
import { loadConfig } from '@parley/runtime';
import { randomBytes } from 'node:crypto';
import { turnPassword } from '../src/credentials.js';
import {
  ATTR_ERROR_CODE,
  ATTR_NONCE,
  ATTR_REALM,
  ATTR_USERNAME,
  CLASS_ERROR,
  CLASS_REQUEST,
  decodeErrorCode,
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  longTermKey,
  type StunAttributeInput,
  type StunMessage,
} from '../src/stun/index.js';

/**
 * The relay's core driven without sockets: the sans-IO split lets tests feed bytes and a clock
 * in and read the bytes out. Used for time-dependent rules (lifetimes, expiry policy) and for the
 * seeded fuzz run; everything network-facing is tested on real sockets elsewhere.
 */
export class RecordingLink implements ClientLink {
  readonly transport = 'udp' as const;
  readonly family = 4 as const;
  readonly localAddress = '192.0.2.1';
  readonly localPort = 3478;
  allocation: Allocation | null = null;
  pendingAllocate: string | null = null;
  readonly sent: Buffer[] = [];

  constructor(
    readonly address = '198.51.100.7',
    readonly port = 40000,
  ) {}

  send(bytes: Uint8Array): void {
    this.sent.push(Buffer.from(bytes));
  }

  sendChannelData(header: Uint8Array, payload: Uint8Array): boolean {
    this.sent.push(Buffer.concat([header, payload]));
    return true;
  }

  attach(): void {}
  detach(): void {}
}

export class RecordingRelaySocket implements RelaySocket {
  readonly sent: { data: Buffer; port: number; address: string }[] = [];
  receiver: ((datagram: Buffer, peerAddress: string, peerPort: number) => void) | null = null;
  closed = false;

  constructor(
    readonly family: 4 | 6,
    readonly bindAddress: string,
    readonly port: number,
  ) {}

  send(payload: Uint8Array, peerPort: number, peerAddress: string): void {
    this.sent.push({ data: Buffer.from(payload), port: peerPort, address: peerAddress });
  }

  sendParts(header: Uint8Array, payload: Uint8Array, peerPort: number, peerAddress: string): void {
    this.send(Buffer.concat([header, payload]), peerPort, peerAddress);
  }

  setReceiver(receiver: (datagram: Buffer, peerAddress: string, peerPort: number) => void): void {
    this.receiver = receiver;
  }

  close(): void {
    this.closed = true;
  }
}

export class RecordingRelayFactory implements RelaySocketFactory {
  readonly families: (4 | 6)[] = [4];
  nextPort = 50000;
  readonly opened: RecordingRelaySocket[] = [];

  async open(request: RelayOpenRequest): Promise<RelayOpenResult> {
    if (!this.families.includes(request.family)) return { ok: false, reason: 'family_unsupported' };
    const socket = new RecordingRelaySocket(request.family, '192.0.2.1', this.nextPort);
    this.nextPort += 2;
    this.opened.push(socket);
    return { ok: true, socket, reservationToken: null };
  }

  async claimReservation(): Promise<RelaySocket | null> {
    return null;
  }
}

export interface Harness {
  context: HandlerContext;
  control: ControlPlane;
  relay: RelayEngine;
  relays: RecordingRelayFactory;
  clock: { nowMs(): number; advance(ms: number): void };
  config: TurnConfig;
  ended: string[];
  internalErrors: unknown[];
}

export function harness(overrides: TurnConfigInput = {}, startMs = 1_700_000_000_000): Harness {
  let now = startMs;
  const clock = { nowMs: () => now, advance: (ms: number) => void (now += ms) };
  const config = loadConfig(TurnConfigSchema, 'PARLEY_TURN_', { overrides: { auth: { secrets: ['harness-secret'] }, log: { level: 'silent' }, ...overrides } });
  const revocations = new RevocationList();
  const relay = new RelayEngine(clock, new ByteBucket(config.quotas.totalBytesPerSecond, now));
  const relays = new RecordingRelayFactory();
  const ended: string[] = [];
  const internalErrors: unknown[] = [];
  const events: ControlEvents = {
    request: () => undefined,
    authFailure: () => undefined,
    allocationCreated: () => undefined,
    allocationEnded: (_allocation, reason) => void ended.push(reason),
    malformed: () => undefined,
    internalError: (error) => void internalErrors.push(error),
  };
  const context: HandlerContext = {
    config,
    clock,
    auth: new Authenticator({ realm: config.realm, secrets: config.auth.secrets, nonceLifetimeSeconds: config.auth.nonceLifetimeSeconds, expiryPolicy: config.auth.expiryPolicy, revocations }),
    allocations: new AllocationTable(config.quotas.userBytesPerSecond),
    policy: new PeerPolicy({ allowPeers: config.policy.allowPeers, denyPeers: config.policy.denyPeers }),
    relay,
    relaySockets: relays,
    events,
    advertisedAddress: (family, bindAddress, port) => ({ family, address: bindAddress, port }),
    newAllocationId: () => `a${Math.random().toString(36).slice(2)}`,
  };
  return { context, control: new ControlPlane(context), relay, relays, clock, config, ended, internalErrors };
}

/** Lets promise callbacks (the async Allocate) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A REST credential for the harness secret. */
export function harnessCredentials(expiresAtSeconds: number, id = 'dXNlcg.cm9vbQ.t1'): { username: string; password: string } {
  const username = `${expiresAtSeconds}:${id}`;
  return { username, password: turnPassword('harness-secret', username) };
}

/** Encodes a request signed with long-term credentials and a nonce. */
export function signedRequest(
  method: number,
  attributes: StunAttributeInput[],
  credentials: { username: string; password: string },
  nonce: string,
  transactionId: Buffer = randomBytes(12),
  realm = 'parley',
): Buffer {
  return encodeStunMessage(
    {
      method,
      cls: CLASS_REQUEST,
      transactionId,
      attributes: [
        ...attributes,
        { type: ATTR_USERNAME, value: Buffer.from(credentials.username) },
        { type: ATTR_REALM, value: Buffer.from(realm) },
        { type: ATTR_NONCE, value: Buffer.from(nonce) },
      ],
    },
    { integrity: { key: longTermKey(credentials.username, realm, credentials.password), algorithm: 'sha1' }, fingerprint: true },
  );
}

/** The last STUN response a link got, decoded. */
export function lastResponse(link: RecordingLink): StunMessage {
  const decoded = decodeStunMessage(link.sent.at(-1)!);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.message;
}

export function errorCode(message: StunMessage): number | null {
  return message.cls === CLASS_ERROR ? (decodeErrorCode(getAttribute(message, ATTR_ERROR_CODE))?.code ?? null) : null;
}
