/**
 * What stands between the gateway and a struggling Avara: a bulkhead (a cap on concurrent
 * requests with a bounded queue, so a slow upstream cannot pile up unbounded work here) and a
 * circuit breaker (after consecutive failures, fail fast instead of waiting on timeouts, then let
 * one probe through before closing again). Both from cockatiel.
 */
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  ConsecutiveBreaker,
  CircuitState,
  bulkhead,
  circuitBreaker,
  handleWhen,
  wrap,
} from 'cockatiel';

export interface ProtectionOptions {
  /** Requests in flight to Avara at once. @default 64 */
  maxConcurrency?: number;
  /** Requests waiting for a slot; beyond this they are refused at once. @default 256 */
  maxQueue?: number;
  /** Consecutive failures (no answer, or 5xx) that open the circuit. @default 5 */
  breakerThreshold?: number;
  /** How long the circuit stays open before one probe is let through. @default 5000 */
  halfOpenAfterMs?: number;
  /** Whether an attempt's outcome counts as Avara failing. */
  isFailure: { error: (error: Error) => boolean; result: (result: unknown) => boolean };
}

/** Why a request was not sent at all. */
export type RefusalReason = 'circuit-open' | 'overloaded';

export interface Protection {
  execute<T>(attempt: () => Promise<T>): Promise<T>;
  /** `closed`, `open` or `half-open`, for health and logs. */
  readonly state: 'closed' | 'open' | 'half-open';
}

export function createProtection({
  maxConcurrency = 64,
  maxQueue = 256,
  breakerThreshold = 5,
  halfOpenAfterMs = 5_000,
  isFailure,
}: ProtectionOptions): Protection {
  const breaker = circuitBreaker(handleWhen(isFailure.error).orWhenResult(isFailure.result), {
    halfOpenAfter: halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(breakerThreshold),
  });
  // The breaker is outermost, so an open circuit refuses before taking a queue place.
  const policy = wrap(breaker, bulkhead(maxConcurrency, maxQueue));
  return {
    execute: (attempt) => policy.execute(attempt),
    get state() {
      switch (breaker.state) {
        case CircuitState.Closed:
          return 'closed';
        case CircuitState.HalfOpen:
          return 'half-open';
        default:
          return 'open';
      }
    },
  };
}

/** The reason a request was refused by the protection, or `undefined` for any other error. */
export function refusalOf(error: unknown): RefusalReason | undefined {
  if (error instanceof BrokenCircuitError) return 'circuit-open';
  if (error instanceof BulkheadRejectedError) return 'overloaded';
  return undefined;
}
