/**
 * The retry budget (Finagle's `RetryBudget`, Envoy's `retry_budget`, gRPC's retry throttling):
 * over any `windowMs`, retries are at most `ratio` × the first attempts of the same window plus a
 * reserve of `minRetriesPerSecond` per second. Past it, a failure that would have been retried
 * is reported at once. A broad outage then costs Avara at most `1 + ratio` times its healthy
 * traffic plus the reserve, instead of `1 + maxRetries` times; a few failing calls in otherwise
 * healthy traffic still get every retry, out of the reserve.
 */
import { SlidingWindow } from './sliding-window.js';

export interface RetryBudgetOptions {
  /** Retries allowed per first attempt. @default 0.2 */
  ratio?: number;
  /** Retries allowed per second whatever the traffic. @default 10 */
  minRetriesPerSecond?: number;
  /** @default 10000 */
  windowMs?: number;
  /** @default Date.now */
  now?: () => number;
}

export class RetryBudget {
  readonly #ratio: number;
  readonly #reserve: number;
  readonly #window: SlidingWindow<'first' | 'retry'>;

  constructor({
    ratio = 0.2,
    minRetriesPerSecond = 10,
    windowMs = 10_000,
    now = Date.now,
  }: RetryBudgetOptions = {}) {
    this.#ratio = ratio;
    this.#reserve = minRetriesPerSecond * (windowMs / 1000);
    this.#window = new SlidingWindow({ windowMs, now });
  }

  /** A call's first attempt was sent: it earns `ratio` of a retry. */
  recordFirstAttempt(): void {
    this.#window.add('first');
  }

  /** Takes one retry from the budget; `false` when it is spent (the retry must not be sent). */
  tryRetry(): boolean {
    if (this.#window.count('retry') + 1 > this.#allowance()) return false;
    this.#window.add('retry');
    return true;
  }

  /** The share of the window's allowance still unspent, from 0 (spent) to 1 (untouched). */
  get remainingShare(): number {
    const allowance = this.#allowance();
    if (allowance <= 0) return 0;
    const share = (allowance - this.#window.count('retry')) / allowance;
    return Math.round(Math.min(1, Math.max(0, share)) * 1000) / 1000;
  }

  #allowance(): number {
    return this.#ratio * this.#window.count('first') + this.#reserve;
  }
}
