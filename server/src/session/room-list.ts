/**
 * The rooms one session is in. A session is in a handful of rooms at most
 * (`session.maxRoomsPerSession`) and often in none yet, so this is a short array made on the
 * first join instead of a Set per session (an empty Set costs ~150 bytes of heap; tens of
 * thousands of idle connections each carried one). Same methods as the Set it replaces.
 */
export class RoomList implements Iterable<string> {
  private names: string[] | null = null;

  get size(): number {
    return this.names === null ? 0 : this.names.length;
  }

  has(room: string): boolean {
    return this.names !== null && this.names.includes(room);
  }

  add(room: string): void {
    if (this.names === null) this.names = [room];
    else if (!this.names.includes(room)) this.names.push(room);
  }

  /** Removes the room; false when the session was not in it. */
  delete(room: string): boolean {
    if (this.names === null) return false;
    const index = this.names.indexOf(room);
    if (index < 0) return false;
    this.names.splice(index, 1);
    return true;
  }

  clear(): void {
    this.names = null;
  }

  /** Iterates over a copy, so leaving rooms while iterating is safe. */
  [Symbol.iterator](): Iterator<string> {
    return (this.names === null ? [] : [...this.names])[Symbol.iterator]();
  }
}
