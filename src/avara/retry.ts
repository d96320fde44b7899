/**
 * When to try an Avara call again, and after how long. Pure functions over what one attempt
 * produced, so the whole policy is a table in the tests.
 *
 * Reads follow Avara's official SDK policy. A write (PATCH or POST) is repeated only where Avara
 * cannot have applied it or asks for the repeat: repeating a change that may have landed could
 * overwrite another writer's change made in between, and a repeated POST could invite someone
 * twice (Avara offers no idempotency key).
 */
import type { IncomingHttpHeaders } from 'node:http';

export type AvaraMethod = 'GET' | 'PATCH' | 'POST';

/** What one attempt produced: an answer's status and headers, or why there was none. */
export type AttemptOutcome =
  | { method: AvaraMethod; status: number; headers: IncomingHttpHeaders }
  /**
   * `refused`: the connection was never made, so the request was never sent.
   * `lost`: the connection broke after the request may have been sent (reset, hang-up).
   * `timeout`: no answer within the attempt's time limit.
   */
  | { method: AvaraMethod; failure: 'refused' | 'lost' | 'timeout' };

export interface RetryPolicy {
  /** Retries after the first attempt. @default 2 */
  maxRetries: number;
  /** The first backoff; each retry doubles it. @default 500 */
  baseDelayMs: number;
  /** The longest backoff. @default 8000 */
  maxDelayMs: number;
  /** The longest wait Avara may ask for (`Retry-After`); a longer ask is not waited out. @default 10000 */
  maxRequestedWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRequestedWaitMs: 10_000,
};

export type RetryDecision =
  { retry: true; delayMs: number; reason: string } | { retry: false; reason: string };

/** Statuses after which Avara has not applied a write, so repeating it is safe. */
const WRITE_RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 503]);

/** Statuses the SDK retries for reads: 408, 409 (lock conflict), 429 and every 5xx. */
function isRetryableReadStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Whether to retry after an attempt, `retriesSoFar` retries into the call.
 * The rungs are tried top to bottom; the first that applies decides.
 */
export function decideRetry(
  outcome: AttemptOutcome,
  retriesSoFar: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  if (retriesSoFar >= policy.maxRetries) return no('retries exhausted');

  const answered = 'status' in outcome;
  const asked = answered ? outcome.headers['x-should-retry'] : undefined;
  if (asked === 'false') return no('Avara said x-should-retry: false');

  const requestedWaitMs = answered ? parseRetryAfterMs(outcome.headers) : undefined;
  if (requestedWaitMs !== undefined && requestedWaitMs > policy.maxRequestedWaitMs) {
    return no('Avara asked for a longer wait than an operation may take');
  }
  const wait = (reason: string): RetryDecision => ({
    retry: true,
    reason,
    delayMs: requestedWaitMs ?? backoffMs(retriesSoFar, policy, random),
  });

  if (asked === 'true') return wait('Avara said x-should-retry: true');

  if (outcome.method === 'GET') {
    if (!answered) return wait(`a read is safe to repeat after a ${outcome.failure} connection`);
    if (isRetryableReadStatus(outcome.status))
      return wait(`a read is safe to repeat after ${outcome.status}`);
    return no(`${outcome.status} will not change on a retry`);
  }

  // Every other method is a write, PATCH and POST alike.
  const write = outcome.method;
  if (!answered) {
    if (outcome.failure === 'refused') return wait(`the ${write} was never sent`);
    return no(`after a ${outcome.failure} connection the ${write} may have been applied`);
  }
  if (WRITE_RETRY_STATUSES.has(outcome.status)) {
    return wait(`Avara did not apply a ${write} it answered ${outcome.status}`);
  }
  return no(`after ${outcome.status} the ${write} may have been applied or will fail again`);
}

function no(reason: string): RetryDecision {
  return { retry: false, reason };
}

/** Exponential backoff with the SDK's jitter: up to 25% shorter, never longer. */
export function backoffMs(retriesSoFar: number, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.min(policy.baseDelayMs * 2 ** retriesSoFar, policy.maxDelayMs);
  return Math.round(exponential * (1 - random() * 0.25));
}

/**
 * The wait an answer asks for: `retry-after-ms`, else `Retry-After` as seconds or an HTTP date.
 * Unparseable or negative values are ignored, as the SDK does.
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfterMs(
  headers: IncomingHttpHeaders,
  now: number = Date.now(),
): number | undefined {
  const retryAfterMs = headers['retry-after-ms'];
  const milliseconds =
    typeof retryAfterMs === 'string' && retryAfterMs.trim() !== ''
      ? Number(retryAfterMs)
      : Number.NaN;
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;

  const retryAfter = headers['retry-after'];
  if (retryAfter === undefined || retryAfter.trim() === '') return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
