import { Histogram } from '../../common/histogram.js';
import { Ledger, type PairState } from '../client/ledger.js';
import { SignalPeer, type VerifyMode } from '../client/signal-peer.js';
import type { SignalTarget } from '../target.js';
import { signalTemplate } from '../wire.js';

/**
 * Rooms full of peers, connected and joined: the starting point of every signaling scenario.
 * Joining is itself the "join storm": many peers connect and join at once (bounded concurrency),
 * and the connect and join latencies are recorded.
 *
 * Every ordered pair of peers in a room becomes a traced pair (a full mesh, as WebRTC rooms are).
 * Against the echo server, which has no rooms, each of those pairs loops back to its sender, so
 * the generator does the same work per message as against a broker.
 */
export interface RoomsLayout {
  rooms: number;
  /** Room sizes, used in turn: [2, 3, 4] makes rooms of 2, 3, 4, 2, 3, 4… peers. */
  peersPerRoom: readonly number[];
}

export interface PopulationOptions {
  target: SignalTarget;
  layout: RoomsLayout;
  verify: VerifyMode;
  /** Distinguishes the users and rooms of this run from any other on the same broker. */
  runId: string;
  /** Connects and joins in flight at once. */
  concurrency?: number;
  /** Source addresses to spread connections over (see lean-websocket.ts). */
  localAddresses?: readonly string[];
}

export interface Room {
  readonly name: string;
  readonly members: SignalPeer[];
}

export interface Population {
  readonly target: SignalTarget;
  readonly ledger: Ledger;
  /** Indexed by peer index. */
  readonly peers: SignalPeer[];
  readonly rooms: Room[];
  readonly connectUs: Histogram;
  readonly joinUs: Histogram;
  /** Wall time of the whole connect + join phase. */
  populateMs: number;
  /** Set by a load driver: called after each traced message arrived in order. */
  onDelivered: (pair: PairState) => void;
  close(): Promise<void>;
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export async function populate(options: PopulationOptions): Promise<Population> {
  const { target, layout, runId } = options;
  const ledger = new Ledger();
  const peers: SignalPeer[] = [];
  const rooms: Room[] = [];
  const population: Population = {
    target,
    ledger,
    peers,
    rooms,
    connectUs: new Histogram(),
    joinUs: new Histogram(),
    populateMs: 0,
    onDelivered: () => {},
    close: async () => {
      await forEachConcurrently(peers, 256, (peer) => peer.close());
    },
  };
  const addresses = options.localAddresses ?? [];
  for (let roomIndex = 0; roomIndex < layout.rooms; roomIndex++) {
    const size = layout.peersPerRoom[roomIndex % layout.peersPerRoom.length]!;
    const room: Room = { name: `${runId}-r${roomIndex}`, members: [] };
    for (let member = 0; member < size; member++) {
      const index = peers.length;
      const peer = new SignalPeer({
        target,
        index,
        userId: `${runId}-u${index}`,
        ledger,
        verify: options.verify,
        ...(addresses.length ? { localAddress: addresses[index % addresses.length]! } : {}),
        onDelivered: (pair) => population.onDelivered(pair),
      });
      peers.push(peer);
      room.members.push(peer);
    }
    rooms.push(room);
  }

  const started = Date.now();
  // Each room's members connect and join in order, so the join order (and with it who is polite
  // towards whom) is known; rooms proceed concurrently.
  await forEachConcurrently(rooms, options.concurrency ?? 128, async (room) => {
    for (const peer of room.members) {
      try {
        await peer.connect();
        population.connectUs.record(peer.connectUs);
      } catch (error) {
        ledger.problems.add('connect_failed', `peer ${peer.index}: ${(error as Error).message}`);
        continue;
      }
      if (!target.speaksProtocol) continue;
      try {
        const { joinUs } = await peer.join(room.name);
        population.joinUs.record(joinUs);
      } catch (error) {
        ledger.problems.add('join_failed', `peer ${peer.index} in ${room.name}: ${(error as Error).message}`);
      }
    }
  });
  population.populateMs = Date.now() - started;

  for (const room of rooms) {
    for (const sender of room.members) {
      for (const receiver of room.members) {
        if (sender === receiver || !sender.isOpen || !receiver.isOpen) continue;
        if (target.speaksProtocol && (!sender.rooms.has(room.name) || !receiver.rooms.has(room.name))) continue;
        if (target.speaksProtocol) {
          ledger.addPair(sender.index, receiver.index, signalTemplate(room.name, receiver.peerId), target.stampsFrom ? sender.peerId : null);
        } else {
          ledger.addPair(sender.index, sender.index, signalTemplate(room.name, `echo-${receiver.index}`), null);
        }
      }
    }
  }
  return population;
}

/** True when every member of every room knows all the others (the last `peer.joined`s have arrived). */
function roomViewsComplete(population: Population): boolean {
  return population.rooms.every((room) => {
    const present = room.members.filter((peer) => peer.session !== null && peer.rooms.has(room.name));
    return present.every((peer) => peer.rooms.get(room.name)!.size === present.length - 1);
  });
}

/**
 * Waits until the `peer.joined` notices of the last joins have arrived: a joiner's `room.joined`
 * and the others' notices travel on different connections, so they reach the generator in no
 * particular order. Returns false if the views are still incomplete at the deadline.
 */
export async function awaitRoomViews(population: Population, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!roomViewsComplete(population)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/**
 * Checks what every member believes about its room once the storm has passed: it knows every
 * other member (from `room.joined` plus `peer.joined`), and of any two members exactly one is
 * polite towards the other, the later joiner being impolite (DESIGN §2, perfect negotiation).
 */
export function checkRoomViews(population: Population): void {
  const { problems } = population.ledger;
  for (const room of population.rooms) {
    const present = room.members.filter((peer) => peer.session !== null && peer.rooms.has(room.name));
    for (const [position, peer] of present.entries()) {
      const view = peer.rooms.get(room.name)!;
      const others = present.filter((other) => other !== peer).map((other) => other.peerId);
      if (view.size !== others.length || !others.every((id) => view.has(id))) {
        problems.add('inconsistent_room', `peer ${peer.index} sees [${[...view.keys()].join(',')}] in ${room.name}, expected [${others.join(',')}]`);
        continue;
      }
      for (const [otherPosition, other] of present.entries()) {
        if (other === peer) continue;
        // `polite` says how `peer` behaves towards `other`: polite if `other` joined later.
        const expected = otherPosition > position;
        if (view.get(other.peerId)!.polite !== expected) {
          problems.add('inconsistent_room', `peer ${peer.index} is ${expected ? 'not ' : ''}polite towards peer ${other.index} in ${room.name}`);
        }
      }
    }
  }
}
