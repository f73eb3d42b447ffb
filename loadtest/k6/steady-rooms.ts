/**
 * Steady rooms: VUs fill rooms of ROOM_SIZE peers and, for SESSION_SECONDS per iteration, every
 * peer sends offer/answer/candidate-shaped messages (~300 B) to every other member at
 * SIGNALS_PER_SECOND each. Fails (thresholds) on any protocol error or out-of-order delivery.
 *
 *   k6 run -e PARLEY_URL=https://signal.example.com -e PARLEY_JWT_SECRET=... \
 *          -e VUS=300 -e ROOM_SIZE=3 -e DURATION=5m loadtest/k6/steady-rooms.ts
 */
import exec from 'k6/execution';
import { setInterval, clearInterval, setTimeout } from 'k6/timers';
import type { Options } from 'k6/options';
import { K6Peer, senderIdFor } from './lib/peer.ts';
import { roomForVu, userForVu } from './lib/parley.ts';

const SIGNALS_PER_SECOND = Number(__ENV.SIGNALS_PER_SECOND ?? 5);
const SESSION_SECONDS = Number(__ENV.SESSION_SECONDS ?? 30);

export const options: Options = {
  scenarios: {
    steady: { executor: 'constant-vus', vus: Number(__ENV.VUS ?? 30), duration: __ENV.DURATION ?? '1m', gracefulStop: '10s' },
  },
  thresholds: {
    parley_protocol_errors: ['count==0'],
    parley_signals_out_of_order: ['count==0'],
    parley_signal_latency: ['p(99)<250'],
    parley_join_time: ['p(99)<1000'],
  },
};

export default function steadyRooms(): void {
  const vu = exec.vu.idInTest;
  const room = roomForVu(vu);
  const peer = new K6Peer(userForVu(vu), senderIdFor(vu, exec.vu.iterationInScenario), {
    onSession: () => peer.join(room),
    onJoined: () => {
      const sender = setInterval(() => {
        for (const other of peer.members.get(room) ?? []) peer.signal(room, other);
      }, 1_000 / SIGNALS_PER_SECOND);
      setTimeout(() => {
        clearInterval(sender);
        peer.close();
      }, SESSION_SECONDS * 1_000);
    },
  });
  peer.connect();
}
