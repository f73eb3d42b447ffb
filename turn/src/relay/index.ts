/**
 * relay/ — the data plane: ChannelData, Send and Data between clients and peers. Rule of this
 * folder: no JSON, zod, await, logging, closures or string building per packet; lookups by number
 * or by the address strings the socket already made; counters are plain numbers read at scrape
 * time. A change here comes with a before/after run of `npm run bench:turn`.
 */
export * from './counters.js';
export * from './relay-engine.js';
