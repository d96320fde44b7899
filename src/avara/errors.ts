/**
 * The one error the Avara client throws. It says what went wrong on the wire and nothing more:
 * which GraphQL code that becomes is decided in `src/graphql/errors.ts`.
 */

export type AvaraFailureKind =
  /** Avara answered with a non-2xx status. */
  | 'status'
  /** No answer within the attempt's time limit. */
  | 'timeout'
  /** The connection was refused, reset or dropped, or the host could not be reached. */
  | 'connection'
  /** A 2xx answer that is not the documented JSON. */
  | 'malformed'
  /** Not sent at all: the circuit is open, or too many requests are already waiting. */
  | 'refused';

/** What was wrong with a `malformed` answer, for logs. */
export type MalformedProblem =
  'not-utf8' | 'not-json' | 'wrong-shape' | 'not-asked-for' | 'too-large';

/** Why a `refused` request was not sent. */
export type RefusalReason = 'circuit-open' | 'overloaded';

export interface AvaraErrorDetails {
  kind: AvaraFailureKind;
  /** The HTTP status of the last answer, when there was one. */
  status?: number;
  /** Avara's `x-request-id` of the last answer, when it sent one. */
  requestId?: string;
  /** Avara's own `message` from an error body (4xx only: 5xx bodies are never kept). */
  upstreamMessage?: string;
  /** How long Avara asked us to wait (Retry-After / retry-after-ms), in milliseconds. */
  retryAfterMs?: number;
  /** How many attempts were made, retries included. */
  attempts: number;
  /** The system error code of a connection failure (ECONNREFUSED, ECONNRESET…). */
  errorCode?: string;
  /** Why a `refused` request was not sent. */
  refusal?: RefusalReason;
  /** What was wrong with a `malformed` answer. */
  problem?: MalformedProblem;
}

export class AvaraError extends Error implements AvaraErrorDetails {
  override readonly name = 'AvaraError';
  readonly kind: AvaraFailureKind;
  readonly status?: number;
  readonly requestId?: string;
  readonly upstreamMessage?: string;
  readonly retryAfterMs?: number;
  readonly attempts: number;
  readonly errorCode?: string;
  readonly refusal?: RefusalReason;
  readonly problem?: MalformedProblem;

  constructor(details: AvaraErrorDetails, options?: ErrorOptions) {
    super(describe(details), options);
    this.kind = details.kind;
    this.status = details.status;
    this.requestId = details.requestId;
    this.upstreamMessage = details.upstreamMessage;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts;
    this.errorCode = details.errorCode;
    this.refusal = details.refusal;
    this.problem = details.problem;
  }
}

/** A message for logs: it names the failure, never a URL, a header or a body. */
function describe({
  kind,
  status,
  errorCode,
  attempts,
  refusal,
  problem,
}: AvaraErrorDetails): string {
  const tries = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  switch (kind) {
    case 'status':
      return `Avara answered ${status} ${tries}`;
    case 'timeout':
      return `Avara did not answer in time ${tries}`;
    case 'connection':
      return `Avara could not be reached (${errorCode ?? 'connection error'}) ${tries}`;
    case 'malformed':
      return `Avara's answer (${status ?? 'no status'}) is not the documented JSON (${problem ?? 'malformed'})`;
    case 'refused':
      return `Avara was not called (${refusal ?? 'refused'})`;
  }
}

export function isAvaraNotFound(error: unknown): boolean {
  return error instanceof AvaraError && error.kind === 'status' && error.status === 404;
}
