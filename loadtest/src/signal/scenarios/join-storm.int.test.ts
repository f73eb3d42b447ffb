import { afterEach, describe, expect, it } from 'vitest';
import { startWsBaselineBroker } from '../brokers/ws-baseline.js';
import { wsBaselineTarget } from '../target.js';
import { runJoinStorm } from './join-storm.js';
import { checkRoomViews } from './population.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('join storm against the ws baseline broker', () => {
  it('connects and joins every peer, and every member sees its whole room with consistent politeness', async () => {
    const broker = await startWsBaselineBroker();
    cleanups.push(() => broker.stop());
    const target = wsBaselineTarget({ wsOrigin: `ws://127.0.0.1:${broker.port}`, httpOrigin: `http://127.0.0.1:${broker.port}` });
    const { population, result } = await runJoinStorm({ target, layout: { rooms: 21, peersPerRoom: [2, 3, 4] }, verify: 'full', runId: 'js', concurrency: 20 });
    cleanups.push(() => population.close());
    expect(population.ledger.problems.toJSON()).toEqual({ counts: {}, examples: [] });
    expect(result.peers).toBe(63);
    expect(population.joinUs.count).toBe(63);
    expect(broker.connections).toBe(63);
    expect(result.joinP99Us).toBeGreaterThanOrEqual(result.joinP50Us);

    // The check itself can fail: a peer that forgets one member is reported.
    const room = population.rooms.find((candidate) => candidate.members.length === 4)!;
    const view = room.members[0]!.rooms.get(room.name)!;
    view.delete(room.members[3]!.peerId);
    checkRoomViews(population);
    expect(population.ledger.problems.count('inconsistent_room')).toBe(1);
  });
});
