/**
 * What stands between the gateway and a struggling Avara, in the order an attempt meets them:
 * 1. the circuit breaker's fast refusal (open: nothing queues, nothing is sent);
 * 2. the caller's fair share (`maxConcurrencyPerCredential`), so a burst waits behind itself;
 * 3. the pool (`maxConcurrency`, `maxQueue`), so a slow Avara cannot pile up unbounded work;
 * 4. the breaker's admission, taken at the moment of sending (the probe, when half-open).
 * Every wait ends at the operation's deadline (its signal). The retry budget is here too: it is
 * state of the process, like the breaker, and `/health` reports both.
 */
import { CircuitBreaker, type BreakerOptions, type CircuitState } from './breaker.js';
import type { RefusalReason } from './errors.js';
import { ConcurrencyLimiter, KeyedLimiter, LimiterRefusal, credentialKey } from './limiter.js';
import { RetryBudget, type RetryBudgetOptions } from './retry-budget.js';

export interface ProtectionOptions {
  /** Requests in flight to Avara at once. @default 64 */
  maxConcurrency?: number;
  /** Requests waiting for a slot; beyond this they are refused at once. @default 256 */
  maxQueue?: number;
  /** Requests in flight at once for one credential; the rest wait in its own queue. @default 32 */
  maxConcurrencyPerCredential?: number;
  /** Requests one credential may have waiting. @default 256 */
  maxQueuePerCredential?: number;
  breaker?: Omit<BreakerOptions, 'now'>;
  retryBudget?: Omit<RetryBudgetOptions, 'now'>;
  /** @default Date.now */
  now?: () => number;
}

/** An attempt the protection did not send. */
export class ProtectionRefusal extends Error {
  override readonly name = 'ProtectionRefusal';

  constructor(readonly reason: RefusalReason | 'deadline') {
    super(`Not sent: ${reason}`);
  }
}

/** What `/health` shows of the protection. */
export interface ProtectionHealth {
  circuit: CircuitState;
  /** The retry budget's unspent share of its window, 0 to 1. */
  retryBudget: { remaining: number };
}

export interface Protection {
  /**
   * Runs one attempt through every guard. `isFailure` says whether its outcome counts as Avara
   * failing (the breaker's input).
   * @throws ProtectionRefusal when it was not sent
   */
  execute<T>(
    attempt: () => Promise<T>,
    options: {
      authorization: string;
      signal?: AbortSignal;
      isFailure: (outcome: { result: T } | { error: unknown }) => boolean;
    },
  ): Promise<T>;
  readonly retryBudget: RetryBudget;
  readonly state: CircuitState;
  health(): ProtectionHealth;
}

export function createProtection({
  maxConcurrency = 64,
  maxQueue = 256,
  maxConcurrencyPerCredential = 32,
  maxQueuePerCredential = 256,
  breaker: breakerOptions = {},
  retryBudget: retryBudgetOptions = {},
  now = Date.now,
}: ProtectionOptions = {}): Protection {
  const breaker = new CircuitBreaker({ ...breakerOptions, now });
  const retryBudget = new RetryBudget({ ...retryBudgetOptions, now });
  const pool = new ConcurrencyLimiter(maxConcurrency, maxQueue);
  const callers = new KeyedLimiter(maxConcurrencyPerCredential, maxQueuePerCredential);

  async function execute<T>(
    attempt: () => Promise<T>,
    options: Parameters<Protection['execute']>[1],
  ): Promise<T> {
    const { authorization, signal, isFailure } = options;
    if (breaker.refusing) throw new ProtectionRefusal('circuit-open');
    const send = async (): Promise<T> => {
      const admission = breaker.admit();
      if (admission === undefined) throw new ProtectionRefusal('circuit-open');
      let result: T;
      try {
        result = await attempt();
      } catch (error) {
        breaker.record(admission, isFailure({ error }) ? 'failure' : 'success');
        throw error;
      }
      breaker.record(admission, isFailure({ result }) ? 'failure' : 'success');
      return result;
    };
    try {
      return await callers.run(credentialKey(authorization), () => pool.run(send, signal), signal);
    } catch (error) {
      if (error instanceof LimiterRefusal) {
        throw new ProtectionRefusal(error.reason === 'aborted' ? 'deadline' : 'overloaded');
      }
      throw error;
    }
  }

  return {
    execute: execute as Protection['execute'],
    retryBudget,
    get state() {
      return breaker.state;
    },
    health: () => ({
      circuit: breaker.state,
      retryBudget: { remaining: retryBudget.remainingShare },
    }),
  };
}
