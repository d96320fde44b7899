/**
 * Counts of events over the last `windowMs`, kept in a fixed ring of time buckets so memory stays
 * constant whatever the traffic. A count is exact to one bucket (`windowMs / buckets`): events
 * older than the window drop out one bucket at a time, and a long idle gap clears everything.
 */

export interface SlidingWindowOptions {
  /** The window's length. */
  windowMs: number;
  /** Buckets the window is cut into; more is finer and a little more memory. @default 20 */
  buckets?: number;
  /** The clock; tests drive it. @default Date.now */
  now?: () => number;
}

export class SlidingWindow<Kind extends string> {
  readonly #bucketMs: number;
  readonly #now: () => number;
  /** Per bucket, the count of each kind; `#epochs` says which bucket-time each slot holds. */
  readonly #counts: Map<Kind, number>[];
  readonly #epochs: number[];
  readonly #totals = new Map<Kind, number>();

  constructor({ windowMs, buckets = 20, now = Date.now }: SlidingWindowOptions) {
    if (!(windowMs > 0) || !Number.isInteger(buckets) || buckets < 1) {
      throw new RangeError('A sliding window needs windowMs > 0 and a whole number of buckets');
    }
    this.#bucketMs = windowMs / buckets;
    this.#now = now;
    this.#counts = Array.from({ length: buckets }, () => new Map<Kind, number>());
    this.#epochs = Array.from({ length: buckets }, () => Number.NEGATIVE_INFINITY);
  }

  add(kind: Kind, count = 1): void {
    const slot = this.#advance();
    const counts = this.#counts[slot];
    counts.set(kind, (counts.get(kind) ?? 0) + count);
    this.#totals.set(kind, (this.#totals.get(kind) ?? 0) + count);
  }

  /** How many `kind` events fell in the window ending now. */
  count(kind: Kind): number {
    this.#advance();
    return this.#totals.get(kind) ?? 0;
  }

  clear(): void {
    for (const counts of this.#counts) counts.clear();
    this.#epochs.fill(Number.NEGATIVE_INFINITY);
    this.#totals.clear();
  }

  /** Empties every slot whose bucket-time has left the window; returns the current slot. */
  #advance(): number {
    const epoch = Math.floor(this.#now() / this.#bucketMs);
    const size = this.#counts.length;
    const slot = ((epoch % size) + size) % size;
    if (this.#epochs[slot] !== epoch) {
      // Expire every slot older than the window, not only this one: after an idle gap, several
      // (or all) buckets are stale at once. The ring is small, so a full sweep is cheap.
      for (let index = 0; index < size; index++) {
        if (this.#epochs[index] <= epoch - size || this.#epochs[index] > epoch) {
          this.#expire(index);
        }
      }
      this.#expire(slot);
      this.#epochs[slot] = epoch;
    }
    return slot;
  }

  #expire(index: number): void {
    for (const [kind, count] of this.#counts[index]) {
      this.#totals.set(kind, (this.#totals.get(kind) ?? 0) - count);
    }
    this.#counts[index].clear();
    this.#epochs[index] = Number.NEGATIVE_INFINITY;
  }
}
