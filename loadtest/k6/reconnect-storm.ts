/**
 * Reconnect storm: VUS peers in rooms of ROOM_SIZE exchange signals; STORM_AFTER_SECONDS in, every
 * odd VU loses its connection at once (closed with 4000, which the server treats as a blip, not a
 * leave) and comes straight back with its resume token. Fails if a resume does not keep the peer
 * id, if anyone sees a `peer.left`, or if any sender's messages arrive out of order.
 *
 *   k6 run -e PARLEY_URL=... -e PARLEY_JWT_SECRET=... -e VUS=200 loadtest/k6/reconnect-storm.ts
 */
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import { clearInterval, setInterval, setTimeout } from 'k6/timers';
import type { Options } from 'k6/options';
import { K6Peer, senderIdFor } from './lib/peer.ts';
import { roomForVu, userForVu } from './lib/parley.ts';

const STORM_AFTER_SECONDS = Number(__ENV.STORM_AFTER_SECONDS ?? 10);
const TOTAL_SECONDS = Number(__ENV.TOTAL_SECONDS ?? 25);
const SIGNALS_PER_SECOND = Number(__ENV.SIGNALS_PER_SECOND ?? 5);
const leaveNotices = new Counter('parley_leave_notices');

export const options: Options = {
  scenarios: {
    storm: { executor: 'per-vu-iterations', vus: Number(__ENV.VUS ?? 30), iterations: 1, maxDuration: `${TOTAL_SECONDS + 30}s` },
  },
  thresholds: {
    parley_resume_failures: ['count==0'],
    parley_leave_notices: ['count==0'],
    parley_signals_out_of_order: ['count==0'],
    parley_protocol_errors: ['count==0'],
    parley_resume_time: ['p(99)<2000'],
  },
};

export default function reconnectStorm(): void {
  const vu = exec.vu.idInTest;
  const room = roomForVu(vu);
  let connected = false;
  let closing = false;
  const peer = new K6Peer(userForVu(vu), senderIdFor(vu, 0), {
    onSession: (session) => {
      connected = true;
      if (!session.resumed) peer.join(room);
    },
    onPeerLeft: () => {
      if (!closing) leaveNotices.add(1);
    },
    onClose: () => {
      connected = false;
    },
  });
  peer.connect();
  const sender = setInterval(() => {
    if (!connected) return;
    for (const other of peer.members.get(room) ?? []) peer.signal(room, other);
  }, 1_000 / SIGNALS_PER_SECOND);
  if (vu % 2 === 1) {
    setTimeout(() => {
      const resumeToken = peer.session?.resumeToken;
      peer.blip();
      // Reconnect as soon as the old connection is gone.
      setTimeout(() => peer.connect(resumeToken), 50);
    }, STORM_AFTER_SECONDS * 1_000);
  }
  setTimeout(() => {
    closing = true;
    clearInterval(sender);
    peer.close();
  }, TOTAL_SECONDS * 1_000);
}
