import { awaitRoomViews, checkRoomViews, populate, type Population, type PopulationOptions } from './population.js';

/**
 * Join storm: every peer of every room connects and joins at once (bounded only by the
 * generator's concurrency). Reports connection and join latency and the join rate, and checks
 * that afterwards every member's view of its room is complete and consistent.
 */
export interface JoinStormResult {
  peers: number;
  joinsPerSecond: number;
  connectP50Us: number;
  connectP99Us: number;
  joinP50Us: number;
  joinP99Us: number;
}

export async function runJoinStorm(options: PopulationOptions): Promise<{ population: Population; result: JoinStormResult }> {
  const population = await populate(options);
  if (options.target.speaksProtocol) {
    // Incomplete views are then reported by the check, member by member.
    await awaitRoomViews(population);
    checkRoomViews(population);
  }
  const { connectUs, joinUs } = population;
  return {
    population,
    result: {
      peers: population.peers.length,
      joinsPerSecond: joinUs.count / (population.populateMs / 1000),
      connectP50Us: connectUs.percentile(50),
      connectP99Us: connectUs.percentile(99),
      joinP50Us: joinUs.percentile(50),
      joinP99Us: joinUs.percentile(99),
    },
  };
}
