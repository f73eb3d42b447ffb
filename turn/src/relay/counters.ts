/**
 * Data-plane counters: plain numbers bumped per packet and read by the metrics module at scrape
 * time. Drop reasons are indexes into one Float64Array so a drop costs one increment.
 */
export const DROP_REASONS = [
  'no_allocation',
  'no_channel',
  'no_permission',
  'malformed',
  'allocation_bandwidth',
  'user_bandwidth',
  'total_bandwidth',
  'client_backpressure',
  'not_stun_or_channel_data',
  'send_failed',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export const DROP_NO_ALLOCATION = 0;
export const DROP_NO_CHANNEL = 1;
export const DROP_NO_PERMISSION = 2;
export const DROP_MALFORMED = 3;
export const DROP_ALLOCATION_BANDWIDTH = 4;
export const DROP_USER_BANDWIDTH = 5;
export const DROP_TOTAL_BANDWIDTH = 6;
export const DROP_CLIENT_BACKPRESSURE = 7;
export const DROP_NOT_STUN_OR_CHANNEL_DATA = 8;
/** The kernel refused the datagram: a full send buffer, an unreachable destination (batched UDP I/O reports these; dgram cannot). */
export const DROP_SEND_FAILED = 9;

export class RelayCounters {
  packetsToPeers = 0;
  bytesToPeers = 0;
  packetsFromPeers = 0;
  bytesFromPeers = 0;
  readonly drops = new Float64Array(DROP_REASONS.length);

  get totalDrops(): number {
    let sum = 0;
    for (const value of this.drops) sum += value;
    return sum;
  }
}
