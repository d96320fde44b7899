/**
 * Reading Avara's answers: a 2xx must be the documented JSON of its verb; anything else becomes an
 * `AvaraError` carrying only what a client may see (status, request id, a 4xx message).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import { AvaraError } from './errors.js';
import { parseRetryAfterMs } from './retry.js';

/** The parts of an HTTP answer these functions read. */
export interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Longest upstream error message kept for a client (4xx only). */
const MAX_UPSTREAM_MESSAGE_LENGTH = 500;

/**
 * How a verb reads its 2xx answer: the documented shape, and optionally a check that it is the
 * answer to this request (the resource asked for, not another one).
 */
export interface AnswerParser<T> {
  schema: z.ZodType<T>;
  /** Whether a well-formed answer is the one asked for; a `false` is `malformed`. */
  isExpected?: (value: T) => boolean;
}

export function parseAnswer<T>(
  answer: Answer,
  attempts: number,
  { schema, isExpected }: AnswerParser<T>,
): T {
  const malformed = () =>
    new AvaraError({
      kind: 'malformed',
      status: answer.statusCode,
      requestId: requestIdOf(answer),
      attempts,
    });
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    throw malformed();
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success || (isExpected !== undefined && !isExpected(parsed.data))) throw malformed();
  return parsed.data;
}

export function toStatusError(answer: Answer, attempts: number): AvaraError {
  const status = answer.statusCode;
  return new AvaraError({
    kind: 'status',
    status,
    attempts,
    requestId: requestIdOf(answer),
    retryAfterMs: parseRetryAfterMs(answer.headers),
    // A 5xx body may hold internals (stack traces, hosts); only a 4xx explains our request.
    upstreamMessage: status < 500 ? messageOf(answer.body) : undefined,
  });
}

function requestIdOf({ headers }: Answer): string | undefined {
  const id = headers['x-request-id'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Avara's human `message`: usually a string, sometimes an object or an array. */
function messageOf(body: string): string | undefined {
  let message: unknown;
  try {
    message = (JSON.parse(body) as { message?: unknown } | null)?.message;
  } catch {
    return undefined;
  }
  if (message === undefined || message === null || message === '') return undefined;
  const text = Array.isArray(message)
    ? message.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join('; ')
    : typeof message === 'string'
      ? message
      : JSON.stringify(message);
  return text.length > MAX_UPSTREAM_MESSAGE_LENGTH
    ? `${text.slice(0, MAX_UPSTREAM_MESSAGE_LENGTH)}…`
    : text;
}
