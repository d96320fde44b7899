/**
 * The circuit breaker: it opens only when Avara is failing broadly (contract, "One process, many
 * callers"), as Hystrix, Polly and opossum do, never on a run of a few failing operations.
 *
 * - Closed: every attempt goes through. It opens when, over the last `windowMs`, there were at
 *   least `minAttempts` attempts and at least `failureRatio` of them failed.
 * - Open (`openMs`): every attempt is refused at once; nothing is sent.
 * - Half-open: the first attempt after that is the one probe; while it is out, every other
 *   attempt is refused at once (it does not wait behind the probe). The probe's success closes
 *   the circuit with a fresh window; its failure opens it again.
 *
 * cockatiel's `SamplingBreaker` was not used: it opens only on strictly more than the ratio, its
 * `minimumRps` is a rate over a window rounded to whole buckets, it expires only one bucket per
 * event (after an idle gap, stale failures still count), and cockatiel's half-open state queues
 * every call behind the probe.
 */
import { SlidingWindow } from './sliding-window.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Share of failed attempts in the window that opens the circuit. @default 0.5 */
  failureRatio?: number;
  /** Fewest attempts in the window before the ratio is judged. @default 20 */
  minAttempts?: number;
  /** The window the ratio and the volume are measured over. @default 10000 */
  windowMs?: number;
  /** How long the circuit stays open before one probe. @default 5000 */
  openMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/** Leave to send one attempt; report its outcome exactly once. */
export interface Admission {
  readonly probe: boolean;
}

/** `void`: the attempt was never sent after all (queue refused it, deadline passed). */
export type AttemptVerdict = 'success' | 'failure' | 'void';

export class CircuitBreaker {
  readonly #failureRatio: number;
  readonly #minAttempts: number;
  readonly #openMs: number;
  readonly #now: () => number;
  readonly #window: SlidingWindow<'attempt' | 'failure'>;
  #openedAt: number | undefined;
  #probeOut = false;

  constructor({
    failureRatio = 0.5,
    minAttempts = 20,
    windowMs = 10_000,
    openMs = 5_000,
    now = Date.now,
  }: BreakerOptions = {}) {
    if (!(failureRatio > 0 && failureRatio <= 1)) {
      throw new RangeError('failureRatio must be in (0, 1]');
    }
    this.#failureRatio = failureRatio;
    this.#minAttempts = Math.max(1, minAttempts);
    this.#openMs = openMs;
    this.#now = now;
    this.#window = new SlidingWindow({ windowMs, now });
  }

  get state(): CircuitState {
    if (this.#openedAt === undefined) return 'closed';
    if (this.#probeOut || this.#now() - this.#openedAt >= this.#openMs) return 'half-open';
    return 'open';
  }

  /** Whether an attempt now would be refused; takes nothing. */
  get refusing(): boolean {
    const state = this.state;
    return state === 'open' || (state === 'half-open' && this.#probeOut);
  }

  /** Leave to send one attempt now, or `undefined`: refuse it. */
  admit(): Admission | undefined {
    const state = this.state;
    if (state === 'closed') return { probe: false };
    if (state === 'open' || this.#probeOut) return undefined;
    this.#probeOut = true;
    return { probe: true };
  }

  record(admission: Admission, verdict: AttemptVerdict): void {
    if (admission.probe) {
      this.#probeOut = false;
      if (verdict === 'success') {
        this.#openedAt = undefined;
        this.#window.clear();
      } else if (verdict === 'failure') {
        this.#openedAt = this.#now();
      }
      // `void`: no probe was sent; the next attempt may be the probe.
      return;
    }
    if (verdict === 'void') return;
    this.#window.add('attempt');
    if (verdict === 'success') return;
    this.#window.add('failure');
    if (this.#openedAt === undefined && this.#isFailingBroadly()) this.#openedAt = this.#now();
  }

  #isFailingBroadly(): boolean {
    const attempts = this.#window.count('attempt');
    return (
      attempts >= this.#minAttempts &&
      this.#window.count('failure') >= this.#failureRatio * attempts
    );
  }
}
