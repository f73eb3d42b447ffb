import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { startUwsEcho } from '../brokers/uws-echo.js';
import { startWsBaselineBroker } from '../brokers/ws-baseline.js';
import { echoTarget, wsBaselineTarget, type SignalTarget } from '../target.js';
import { populate, type Population } from './population.js';
import { runClosedLoop, runOpenLoop } from './steady-rooms.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function origin(port: number) {
  return { wsOrigin: `ws://127.0.0.1:${port}`, httpOrigin: `http://127.0.0.1:${port}` };
}

async function populated(target: SignalTarget, rooms: number, verify: 'full' | 'fast' = 'full'): Promise<Population> {
  const population = await populate({ target, layout: { rooms, peersPerRoom: [2, 3, 4] }, verify, runId: 't' });
  cleanups.push(() => population.close());
  return population;
}

/** Every pair: sent == received, nothing lost, duplicated, reordered or misattributed. */
function expectExactlyOnceInOrder(population: Population): void {
  expect(population.ledger.problems.toJSON()).toEqual({ counts: {}, examples: [] });
  for (const pair of population.ledger.pairs) {
    expect(pair.sent).toBeGreaterThan(0);
    expect(pair.received).toBe(pair.sent);
  }
}

describe('steady rooms against the ws baseline broker', () => {
  it('delivers every message of every pair exactly once and in order, closed and open loop', async () => {
    const broker = await startWsBaselineBroker();
    cleanups.push(() => broker.stop());
    const population = await populated(wsBaselineTarget(origin(broker.port)), 6);
    // Rooms of 2, 3 and 4 peers in a full mesh: 2 + 6 + 12 ordered pairs, twice.
    expect(population.peers).toHaveLength(18);
    expect(population.ledger.pairs).toHaveLength(40);

    const closed = await runClosedLoop(population, { windowPerPair: 4, warmupMs: 100, measureMs: 400 });
    expect(closed.deliveredInWindow).toBeGreaterThan(0);
    expect(closed.lost).toBe(0);
    expect(Number.isFinite(closed.p99Us)).toBe(true);
    const open = await runOpenLoop(population, { ratePerSecond: 2_000, warmupMs: 100, measureMs: 400 });
    expect(open.deliveredInWindow).toBeGreaterThan(0);
    expect(open.lost).toBe(0);
    expectExactlyOnceInOrder(population);
  });
});

describe('steady rooms against the uWS echo server', () => {
  it('loops every pair back to its sender exactly once and in order', async () => {
    const echo = await startUwsEcho();
    cleanups.push(() => echo.stop());
    const population = await populated(echoTarget(origin(echo.port)), 3, 'fast');
    expect(population.ledger.pairs.every((pair) => pair.senderIndex === pair.receiverIndex)).toBe(true);
    const closed = await runClosedLoop(population, { windowPerPair: 8, warmupMs: 100, measureMs: 300 });
    expect(closed.lost).toBe(0);
    expectExactlyOnceInOrder(population);
  });
});

describe('delivery checking', () => {
  it('catches a relay that drops, reorders and misattributes messages', async () => {
    // A deliberately broken relay: same protocol, but it loses every 5th signal, swaps the order
    // of the 2nd and 3rd, and stamps the wrong `from` on the 7th.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/v1/ws' });
    cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    await new Promise((resolve) => wss.once('listening', resolve));
    const byId = new Map<string, import('ws').WebSocket>();
    let nextId = 0;
    let signals = 0;
    let held: string | null = null;
    wss.on('connection', (socket) => {
      const peerId = `p${nextId++}`;
      byId.set(peerId, socket);
      socket.send(JSON.stringify({ type: 'session', peerId, userId: peerId, resumeToken: '', resumeGraceMs: 0, resumed: false, rooms: [], iceServers: [], turnExpiresAt: 0 }));
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString());
        if (message.type === 'room.join') {
          const peers = [...byId.keys()].filter((id) => id !== peerId).map((id) => ({ peerId: id, userId: id, joinedAtMs: 0, polite: false }));
          socket.send(JSON.stringify({ type: 'room.joined', rid: message.rid, room: message.room, self: { peerId, userId: peerId, joinedAtMs: 0 }, peers, state: {} }));
          for (const [id, other] of byId) if (id !== peerId) other.send(JSON.stringify({ type: 'peer.joined', room: message.room, peer: { peerId, userId: peerId, joinedAtMs: 0, polite: true } }));
          return;
        }
        signals++;
        const forward = JSON.stringify({ type: 'signal', room: message.room, from: signals === 7 ? 'someone-else' : peerId, payload: message.payload });
        const target = byId.get(message.to)!;
        if (signals % 5 === 0) return;
        if (signals === 2) return void (held = forward);
        target.send(forward);
        if (signals === 3 && held) target.send(held);
      });
    });
    const port = (wss.address() as AddressInfo).port;
    const population = await populate({ target: wsBaselineTarget(origin(port)), layout: { rooms: 1, peersPerRoom: [2] }, verify: 'full', runId: 'bad' });
    cleanups.push(() => population.close());
    const [first] = population.ledger.pairs;
    for (let count = 0; count < 10; count++) population.peers[first!.senderIndex]!.sendSignal(first!);
    await new Promise((resolve) => setTimeout(resolve, 300));
    population.ledger.settle();
    const { problems } = population.ledger;
    expect(problems.count('lost')).toBeGreaterThan(0);
    expect(problems.count('out_of_order') + problems.count('duplicate')).toBeGreaterThan(0);
    expect(problems.count('wrong_from')).toBe(1);
  });
});
