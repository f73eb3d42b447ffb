import { setTimeout as sleep } from 'node:timers/promises';
import { Histogram } from '../../common/histogram.js';
import type { SignalPeer } from '../client/signal-peer.js';
import type { Population } from './population.js';

/**
 * Reconnect storm: one peer of every room loses its connection at once (TCP dropped, no close
 * frame, as on a network blip), the others keep signalling to it, and all of them come back at
 * once with their resume tokens. DESIGN §2 promises that within the grace period a resumed peer
 * keeps its peer id and rooms, nobody sees it leave, and what was sent to it meanwhile arrives in
 * order; the ledger checks exactly that, message by message.
 */
export interface ReconnectStormOptions {
  /** Messages each remaining member sends to the dropped one while it is away. */
  messagesWhileAway: number;
  /** Messages every pair sends after the storm, to show the resumed sessions work both ways. */
  messagesAfter: number;
  /** Time for the broker to notice the dropped connections before messages are sent to them. */
  noticeDelayMs?: number;
  drainTimeoutMs?: number;
}

export interface ReconnectStormResult {
  dropped: number;
  resumed: number;
  /** Reconnect to `session` (resumed) latency, µs. */
  resumeUs: Histogram;
  /** Messages sent to dropped peers while they were away. */
  sentWhileAway: number;
  /** `peer.left` notices the remaining members received during the storm (should be none). */
  leaveNotices: number;
}

async function drain(population: Population, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (population.ledger.inFlight > 0 && Date.now() < deadline) await sleep(20);
  population.ledger.settle();
}

export async function runReconnectStorm(population: Population, options: ReconnectStormOptions): Promise<ReconnectStormResult> {
  const { ledger, peers } = population;
  if (!population.target.supportsResume) throw new Error(`${population.target.name} does not support resume`);
  const victims = population.rooms.map((room) => room.members[0]!).filter((peer) => peer.session !== null && peer.isOpen);
  const victimSet = new Set<SignalPeer>(victims);
  const identities = new Map(victims.map((peer) => [peer, { peerId: peer.peerId, resumeToken: peer.session!.resumeToken, rooms: [...peer.rooms.keys()] }]));
  const leftBefore = peers.reduce((sum, peer) => sum + peer.events.peerLeft.length, 0);

  for (const victim of victims) victim.drop();
  await sleep(options.noticeDelayMs ?? 300);

  let sentWhileAway = 0;
  for (const pair of ledger.pairs) {
    if (!victimSet.has(peers[pair.receiverIndex]!) || victimSet.has(peers[pair.senderIndex]!)) continue;
    for (let count = 0; count < options.messagesWhileAway; count++) peers[pair.senderIndex]!.sendSignal(pair);
    sentWhileAway += options.messagesWhileAway;
  }
  // Let those messages reach the broker's resume buffers before their recipients come back.
  await sleep(100);

  const resumeUs = new Histogram();
  let resumed = 0;
  await Promise.all(
    victims.map(async (victim) => {
      const before = identities.get(victim)!;
      try {
        const session = await victim.connect(before.resumeToken);
        resumeUs.record(victim.connectUs);
        if (!session?.resumed) return ledger.problems.add('resume_failed', `peer ${victim.index} got a fresh session instead of resuming`);
        if (session.peerId !== before.peerId) return ledger.problems.add('resume_failed', `peer ${victim.index} came back as ${session.peerId}, not ${before.peerId}`);
        const missingRooms = before.rooms.filter((room) => !session.rooms.includes(room as never));
        if (missingRooms.length) return ledger.problems.add('resume_failed', `peer ${victim.index} lost rooms ${missingRooms.join(',')}`);
        resumed++;
      } catch (error) {
        ledger.problems.add('resume_failed', `peer ${victim.index}: ${(error as Error).message}`);
      }
    }),
  );
  await drain(population, options.drainTimeoutMs ?? 10_000);

  for (const pair of ledger.pairs) {
    for (let count = 0; count < options.messagesAfter; count++) peers[pair.senderIndex]!.sendSignal(pair);
  }
  await drain(population, options.drainTimeoutMs ?? 10_000);

  const leaveNotices = peers.reduce((sum, peer) => sum + peer.events.peerLeft.length, 0) - leftBefore;
  if (leaveNotices > 0) ledger.problems.add('inconsistent_room', `${leaveNotices} peer.left notices during a resume within the grace period`);
  return { dropped: victims.length, resumed, resumeUs, sentWhileAway, leaveNotices };
}
