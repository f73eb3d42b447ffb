import { loadBatchedUdp } from './batched-udp.js';
import { dgramIo, type DatagramIo } from './datagram-socket.js';

export type UdpIoSetting = 'auto' | 'batched' | 'dgram';

/**
 * The process's UDP I/O for a `udpIo` setting: `batched` insists on the addon (a start-up error
 * says how to build it), `dgram` never uses it, `auto` uses it when it loads and otherwise falls
 * back to dgram with the reason, which the caller logs.
 */
export function selectUdpIo(setting: UdpIoSetting): { io: DatagramIo; fallbackReason: string | null } {
  if (setting === 'dgram') return { io: dgramIo, fallbackReason: null };
  const batched = loadBatchedUdp();
  if (batched.ok) return { io: batched.io, fallbackReason: null };
  if (setting === 'batched') throw new Error(`turn: udpIo is 'batched' but ${batched.reason}`);
  return { io: dgramIo, fallbackReason: batched.reason };
}
