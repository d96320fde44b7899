/**
 * Hooks around each attempt of an Avara call, for metrics and client spans. The client only calls
 * them; what they record lives in `src/observability/`. An attempt starts once it holds a slot of
 * the bulkhead (a request refused by the breaker or the queue was never sent, so it is not one).
 */
import type { Context } from '@opentelemetry/api';
import type { AvaraMethod } from './retry.js';

/** Why an attempt got no answer. */
export type AttemptFailure =
  /** No answer within the attempt's time limit. */
  | 'timeout'
  /** The connection was refused before anything was sent. */
  | 'refused'
  /** The connection broke after the request may have been sent. */
  | 'lost'
  /** A bug of ours while sending. */
  | 'internal';

export interface AttemptStart {
  method: AvaraMethod;
  /** Relative to `<baseUrl>/v1/viewer/`; may carry a query string, which is never recorded. */
  path: string;
  /** 0 for the first attempt of a call, 1 for its first retry… */
  resendCount: number;
  /** The operation's trace context, when tracing is on. */
  traceContext: Context | undefined;
}

export type AttemptEnd = { status: number } | { failure: AttemptFailure };

export interface AttemptObservation {
  /** Headers to add to this attempt (`traceparent`). */
  readonly headers: Readonly<Record<string, string>> | undefined;
  end(outcome: AttemptEnd): void;
}

export interface AvaraInstrumentation {
  startAttempt(start: AttemptStart): AttemptObservation;
}
