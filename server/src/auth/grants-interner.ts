import type { Grants } from '@parley/protocol';

/**
 * One shared, frozen object per distinct set of grants. Applications mint most tokens with the
 * same few grant sets, and every connection keeps its grants for its lifetime: a parsed copy
 * each (object, rooms array, its elements) costs ~150 bytes per connection. Bounded: once
 * `maxEntries` distinct sets are held, further ones are returned as they are (still frozen).
 */
export class GrantsInterner {
  private readonly byKey = new Map<string, Readonly<Grants>>();

  constructor(private readonly maxEntries = 1024) {}

  intern(grants: Grants): Readonly<Grants> {
    // zod builds the object in schema order, so equal grants serialize alike.
    const key = JSON.stringify(grants);
    const known = this.byKey.get(key);
    if (known) return known;
    if (grants.rooms) Object.freeze(grants.rooms);
    const frozen = Object.freeze(grants);
    if (this.byKey.size < this.maxEntries) this.byKey.set(key, frozen);
    return frozen;
  }

  get size(): number {
    return this.byKey.size;
  }
}
