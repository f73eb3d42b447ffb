import type { LookupOneOptions } from 'node:dns';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * A dgram `lookup` for IP literals only. Node resolves the destination of every `send` through
 * dns.lookup, which defers to the next tick even for a literal; the relay only ever sends to
 * literals, so it answers at once and keeps that work off the packet path.
 */
export function literalLookup(family: 4 | 6) {
  return (hostname: string, _options: LookupOneOptions | number, callback: LookupCallback): void => {
    callback(null, hostname, family);
  };
}
