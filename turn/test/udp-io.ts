import { loadBatchedUdp } from '../src/transport/batched-udp.js';
import { dgramIo, type DatagramIo, type UdpIoKind } from '../src/transport/datagram-socket.js';

/** Both UDP I/O paths, for suites that must hold on each. */
export const UDP_IO_KINDS: readonly UdpIoKind[] = ['dgram', 'batched'];

/** The I/O of `kind`; the batched one throws why it is missing (with the command that builds it), so its tests fail instead of passing on dgram. */
export function udpIoFor(kind: UdpIoKind): DatagramIo {
  if (kind === 'dgram') return dgramIo;
  const batched = loadBatchedUdp();
  if (!batched.ok) throw new Error(batched.reason);
  return batched.io;
}
