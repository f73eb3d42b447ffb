/**
 * Join storm: JOINS_PER_SECOND new peers per second connect, join their room (ROOM_SIZE peers
 * each), stay HOLD_SECONDS and leave. Reports connection and join latency; fails on any protocol
 * error or when a join is not answered.
 *
 *   k6 run -e PARLEY_URL=... -e PARLEY_JWT_SECRET=... -e JOINS_PER_SECOND=200 loadtest/k6/join-storm.ts
 */
import { check } from 'k6';
import exec from 'k6/execution';
import { Rate } from 'k6/metrics';
import { setTimeout } from 'k6/timers';
import type { Options } from 'k6/options';
import { K6Peer, senderIdFor } from './lib/peer.ts';
import { RUN_ID, ROOM_SIZE, userForVu } from './lib/parley.ts';

const JOINS_PER_SECOND = Number(__ENV.JOINS_PER_SECOND ?? 50);
const HOLD_SECONDS = Number(__ENV.HOLD_SECONDS ?? 5);
const joined = new Rate('parley_joined');

export const options: Options = {
  scenarios: {
    storm: {
      executor: 'constant-arrival-rate',
      rate: JOINS_PER_SECOND,
      timeUnit: '1s',
      duration: __ENV.DURATION ?? '30s',
      preAllocatedVUs: Math.ceil(JOINS_PER_SECOND * (HOLD_SECONDS + 2)),
      maxVUs: Math.ceil(JOINS_PER_SECOND * (HOLD_SECONDS + 5)),
    },
  },
  thresholds: {
    parley_joined: ['rate>0.99'],
    parley_protocol_errors: ['count==0'],
    parley_join_time: ['p(99)<1000'],
    parley_connect_time: ['p(99)<1000'],
  },
};

export default function joinStorm(): void {
  // Iterations, not VUs, fill the rooms: consecutive arrivals share a room.
  const iteration = exec.scenario.iterationInTest;
  const room = `${RUN_ID}-storm${Math.floor(iteration / ROOM_SIZE)}`;
  let answered = false;
  const peer = new K6Peer(`${userForVu(exec.vu.idInTest)}-${iteration}`, senderIdFor(exec.vu.idInTest, iteration), {
    onSession: () => peer.join(room),
    onJoined: (_room, peers) => {
      answered = true;
      check(peers, { 'room.joined lists the earlier members': (list) => list.length === iteration % ROOM_SIZE });
      setTimeout(() => peer.close(), HOLD_SECONDS * 1_000);
    },
    onClose: () => joined.add(answered),
  });
  peer.connect();
}
