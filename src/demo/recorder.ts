/**
 * The log of API requests the demo received, with event-driven waiting so tests await the
 * upstream call they expect instead of sleeping and hoping.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  method: string;
  /** The raw path, query string included, as the client sent it. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or `undefined` when there was none or it was not JSON. */
  body: unknown;
  rawBody: string;
}

interface Waiter {
  count: number;
  resolve: (requests: RecordedRequest[]) => void;
  reject: (error: Error) => void;
}

export class RequestRecorder {
  /** One array for the recorder's life: `clear` empties it in place, so held references stay live. */
  readonly requests: RecordedRequest[] = [];
  readonly #enabled: boolean;
  #waiters: Waiter[] = [];
  #closed = false;

  /** @param enabled when false nothing is kept, so a long benchmark run does not grow memory */
  constructor(enabled = true) {
    this.#enabled = enabled;
  }

  record(request: RecordedRequest): void {
    if (!this.#enabled) return;
    this.requests.push(request);
    if (this.#waiters.length === 0) return;
    const length = this.requests.length;
    const ready = this.#waiters.filter((waiter) => waiter.count <= length);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => waiter.count > length);
    for (const waiter of ready) waiter.resolve(this.requests.slice());
  }

  /** Resolves with a snapshot once at least `count` requests are recorded. */
  waitFor(count: number): Promise<RecordedRequest[]> {
    if (this.requests.length >= count) return Promise.resolve(this.requests.slice());
    if (!this.#enabled) return Promise.reject(new Error('request recording is off'));
    if (this.#closed) return Promise.reject(new Error('demo Avara API is closed'));
    return new Promise((resolve, reject) => this.#waiters.push({ count, resolve, reject }));
  }

  clear(): void {
    this.requests.length = 0;
  }

  /** Fails every pending wait: no request can arrive any more. */
  close(): void {
    this.#closed = true;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) {
      waiter.reject(
        new Error(
          `demo Avara API closed after ${this.requests.length} of ${waiter.count} awaited requests`,
        ),
      );
    }
  }
}
