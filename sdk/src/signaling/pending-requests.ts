import { ParleyError } from '../errors.js';

/**
 * Requests waiting for their answer, by `rid`. Each one settles exactly once: with the answer,
 * with the server's `error`, on timeout, or when the client gives up on the session.
 */
interface Pending {
  resolve(value: unknown): void;
  reject(error: ParleyError): void;
  timer: ReturnType<typeof setTimeout>;
}

export class PendingRequests {
  #nextRid = 1;
  #pending = new Map<string | number, Pending>();

  constructor(private readonly timeoutMs: number) {}

  get size(): number {
    return this.#pending.size;
  }

  has(rid: string | number): boolean {
    return this.#pending.has(rid);
  }

  /** Allocates a rid and a promise for its answer. */
  open<T>(): { rid: number; answer: Promise<T> } {
    const rid = this.#nextRid++;
    const answer = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(rid);
        reject(new ParleyError('REQUEST_TIMEOUT', `no answer to request ${rid} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.#pending.set(rid, { resolve: resolve as (value: unknown) => void, reject, timer });
    });
    return { rid, answer };
  }

  resolve(rid: string | number, value: unknown): void {
    const pending = this.take(rid);
    pending?.resolve(value);
  }

  reject(rid: string | number, error: ParleyError): void {
    const pending = this.take(rid);
    pending?.reject(error);
  }

  rejectAll(error: ParleyError): void {
    for (const rid of [...this.#pending.keys()]) this.reject(rid, error);
  }

  private take(rid: string | number): Pending | undefined {
    const pending = this.#pending.get(rid);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.#pending.delete(rid);
    return pending;
  }
}
