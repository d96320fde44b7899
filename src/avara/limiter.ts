/**
 * Caps on concurrent upstream calls: one for the whole process (the pool) and one per credential
 * (a fair share, so one caller's burst queues behind itself instead of filling the pool).
 *
 * Unlike cockatiel's bulkhead, a waiter leaves the queue the moment its signal aborts (the
 * operation's deadline), so a queue wait is bounded by the deadline and frees its place at once.
 */
import { createHash } from 'node:crypto';

/** Why a limiter did not run a call. */
export class LimiterRefusal extends Error {
  override readonly name = 'LimiterRefusal';

  /** `full`: every slot and queue place taken. `aborted`: the signal fired while it waited. */
  constructor(readonly reason: 'full' | 'aborted') {
    super(reason === 'full' ? 'No slot and no queue place left' : 'Aborted while queued');
  }
}

interface Waiter {
  start: () => void;
}

export class ConcurrencyLimiter {
  #active = 0;
  readonly #queue = new Set<Waiter>();

  /**
   * @param limit calls running at once
   * @param maxQueue calls waiting for a slot; one more is refused at once
   */
  constructor(
    readonly limit: number,
    readonly maxQueue: number,
  ) {}

  /** Nothing running, nothing waiting. */
  get idle(): boolean {
    return this.#active === 0 && this.#queue.size === 0;
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new LimiterRefusal('aborted');
    if (this.#active >= this.limit) await this.#wait(signal);
    else this.#active++;
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  /** Resolves holding a slot (handed over by `#release`), or rejects. */
  #wait(signal: AbortSignal | undefined): Promise<void> {
    if (this.#queue.size >= this.maxQueue) return Promise.reject(new LimiterRefusal('full'));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#queue.delete(waiter);
        reject(new LimiterRefusal('aborted'));
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.#queue.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #release(): void {
    // The slot passes straight to the oldest waiter: no window where a newcomer could take it.
    const [next] = this.#queue;
    if (next === undefined) {
      this.#active--;
      return;
    }
    this.#queue.delete(next);
    next.start();
  }
}

/**
 * One limiter per key, made on first use and dropped when idle, so memory follows the callers
 * active right now, not every caller ever seen.
 */
export class KeyedLimiter {
  readonly #limiters = new Map<string, ConcurrencyLimiter>();

  constructor(
    readonly limit: number,
    readonly maxQueue: number,
  ) {}

  /** Keys with a call running or waiting. */
  get size(): number {
    return this.#limiters.size;
  }

  async run<T>(key: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let limiter = this.#limiters.get(key);
    if (limiter === undefined) {
      limiter = new ConcurrencyLimiter(this.limit, this.maxQueue);
      this.#limiters.set(key, limiter);
    }
    try {
      return await limiter.run(task, signal);
    } finally {
      if (limiter.idle) this.#limiters.delete(key);
    }
  }
}

/** The key a credential is counted under: a digest, so no credential sits in memory as a key. */
export function credentialKey(authorization: string): string {
  return createHash('sha256').update(authorization).digest('base64url').slice(0, 22);
}
