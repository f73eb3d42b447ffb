import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeAddressFamily, encodeChannelData, encodeChannelNumber, encodeEvenPort, encodeRequestedTransport, StreamDeframer } from './proto/index.js';
import {
  ATTR_ADDITIONAL_ADDRESS_FAMILY,
  ATTR_CHANNEL_NUMBER,
  ATTR_DATA,
  ATTR_EVEN_PORT,
  ATTR_LIFETIME,
  ATTR_NONCE,
  ATTR_REQUESTED_ADDRESS_FAMILY,
  ATTR_REQUESTED_TRANSPORT,
  ATTR_XOR_PEER_ADDRESS,
  CLASS_INDICATION,
  CLASS_REQUEST,
  CLASS_SUCCESS,
  encodeStunMessage,
  encodeUint32,
  encodeXorAddress,
  getAttribute,
  METHOD_ALLOCATE,
  METHOD_BINDING,
  METHOD_CHANNEL_BIND,
  METHOD_CREATE_PERMISSION,
  METHOD_REFRESH,
  METHOD_SEND,
} from './stun/index.js';
import { harness, harnessCredentials, lastResponse, RecordingLink, settle, signedRequest } from '../test/sans-io-harness.js';

/**
 * Seeded fuzz run of the whole core (decoder, authenticator, handlers, data plane, stream
 * framing): valid messages of every kind are mutated (bit flips, truncation, length fields,
 * splices) and fed in; nothing may throw and no handler may fail internally. Set
 * PARLEY_FUZZ_SEED / PARLEY_FUZZ_RUNS to explore further; every input that ever crashed is kept
 * in test/fixtures/crashers and replayed below.
 */
const SEED = Number(process.env.PARLEY_FUZZ_SEED ?? 20261123);
const RUNS = Number(process.env.PARLEY_FUZZ_RUNS ?? 20_000);
const CRASHERS = fileURLToPath(new URL('../test/fixtures/crashers/', import.meta.url));

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function preparedCore() {
  const h = harness({ policy: { allowPeers: ['203.0.113.0/24'] } });
  const link = new RecordingLink();
  const credentials = harnessCredentials(h.clock.nowMs() / 1000 + 3600);
  const transport = [{ type: ATTR_REQUESTED_TRANSPORT, value: encodeRequestedTransport(17) }];
  h.control.handle(link, encodeStunMessage({ method: METHOD_ALLOCATE, cls: CLASS_REQUEST, transactionId: Buffer.alloc(12, 1), attributes: transport }));
  const nonce = getAttribute(lastResponse(link), ATTR_NONCE)!.toString();
  h.control.handle(link, signedRequest(METHOD_ALLOCATE, transport, credentials, nonce));
  await settle();
  expect(lastResponse(link).cls).toBe(CLASS_SUCCESS);
  const peer = { family: 4 as const, address: '203.0.113.9', port: 7000 };
  const id = Buffer.alloc(12, 5);
  const seeds: Buffer[] = [
    encodeStunMessage({ method: METHOD_BINDING, cls: CLASS_REQUEST, transactionId: id, attributes: [] }, { fingerprint: true }),
    signedRequest(METHOD_ALLOCATE, [...transport, { type: ATTR_EVEN_PORT, value: encodeEvenPort(true) }, { type: ATTR_LIFETIME, value: encodeUint32(900) }], credentials, nonce, id),
    signedRequest(METHOD_ALLOCATE, [...transport, { type: ATTR_REQUESTED_ADDRESS_FAMILY, value: encodeAddressFamily(6) }], credentials, nonce, id),
    signedRequest(METHOD_ALLOCATE, [...transport, { type: ATTR_ADDITIONAL_ADDRESS_FAMILY, value: encodeAddressFamily(6) }], credentials, nonce, id),
    signedRequest(METHOD_CREATE_PERMISSION, [{ type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, id) }], credentials, nonce, id),
    signedRequest(METHOD_CHANNEL_BIND, [{ type: ATTR_CHANNEL_NUMBER, value: encodeChannelNumber(0x4001) }, { type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, id) }], credentials, nonce, id),
    signedRequest(METHOD_REFRESH, [{ type: ATTR_LIFETIME, value: encodeUint32(600) }], credentials, nonce, id),
    encodeStunMessage({ method: METHOD_SEND, cls: CLASS_INDICATION, transactionId: id, attributes: [{ type: ATTR_XOR_PEER_ADDRESS, value: encodeXorAddress(peer, id) }, { type: ATTR_DATA, value: Buffer.from('payload') }] }),
    encodeChannelData(0x4001, Buffer.from('channel payload')),
  ];
  // Bind the channel for real so mutated ChannelData reaches the relay path.
  h.control.handle(link, seeds[5]!);
  return { h, link, seeds, peer };
}

function mutate(random: () => number, seeds: Buffer[]): Buffer {
  const base = Buffer.from(seeds[Math.floor(random() * seeds.length)]!);
  const kind = Math.floor(random() * 6);
  if (kind === 0) {
    for (let i = 0, flips = 1 + Math.floor(random() * 8); i < flips; i++) base[Math.floor(random() * base.length)]! ^= 1 << Math.floor(random() * 8);
    return base;
  }
  if (kind === 1) return base.subarray(0, Math.floor(random() * base.length));
  if (kind === 2 && base.length >= 4) {
    base.writeUInt16BE(Math.floor(random() * 0x10000), 2);
    return base;
  }
  if (kind === 3 && base.length > 24) {
    // Rewrite some attribute length field.
    const offset = 20 + 4 * Math.floor((random() * (base.length - 24)) / 4);
    base.writeUInt16BE(Math.floor(random() * 0x10000), offset + 2);
    return base;
  }
  if (kind === 4) {
    const other = seeds[Math.floor(random() * seeds.length)]!;
    const cut = Math.floor(random() * base.length);
    return Buffer.concat([base.subarray(0, cut), other.subarray(Math.floor(random() * other.length))]);
  }
  const junk = Buffer.alloc(Math.floor(random() * 120));
  for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(random() * 256);
  return junk;
}

function feed(core: Awaited<ReturnType<typeof preparedCore>>, bytes: Buffer): void {
  const { h, link, peer } = core;
  const kind = bytes.length > 0 ? bytes[0]! & 0xc0 : 0xc0;
  if (kind === 0x40 && link.allocation) h.relay.fromClientChannelData(link.allocation, bytes);
  else if (kind === 0) h.control.handle(link, bytes);
  // The same bytes as a peer datagram and as a stream chunk.
  const relay = h.relays.opened[0];
  if (relay?.receiver) relay.receiver(bytes, peer.address, peer.port);
  new StreamDeframer((frame) => {
    if ((frame[0]! & 0xc0) === 0 || !link.allocation) h.control.handle(link, frame);
    else h.relay.fromClientChannelData(link.allocation, frame);
  }, 70_000).push(bytes);
}

describe('seeded fuzz run of the relay core', () => {
  it(`survives ${RUNS} mutated inputs from seed ${SEED} without a throw or an internal error`, async () => {
    const core = await preparedCore();
    const random = prng(SEED);
    for (let run = 0; run < RUNS; run++) {
      const input = mutate(random, core.seeds);
      try {
        feed(core, input);
      } catch (error) {
        throw new Error(`input ${run} threw (keep it as a fixture): ${input.toString('hex')}`, { cause: error });
      }
      if (run % 500 === 0) await settle();
    }
    await settle();
    expect(core.h.internalErrors).toEqual([]);
    // Still serving: a plain Binding is answered.
    core.h.control.handle(core.link, core.seeds[0]!);
    expect(lastResponse(core.link).cls).toBe(CLASS_SUCCESS);
  });

  it('replays every input kept in test/fixtures/crashers without a throw', async () => {
    const core = await preparedCore();
    const files = readdirSync(CRASHERS).filter((name) => name.endsWith('.hex'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const bytes = Buffer.from(readFileSync(CRASHERS + name, 'utf8').replace(/\s+/g, ''), 'hex');
      expect(() => feed(core, bytes), name).not.toThrow();
    }
    await settle();
    expect(core.h.internalErrors).toEqual([]);
  });
});
