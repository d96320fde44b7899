/**
 * Reading Avara's answers: a 2xx must be the documented user; anything else becomes an
 * `AvaraError` carrying only what a client may see (status, request id, a 4xx message).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { AvaraError } from './errors.js';
import { parseRetryAfterMs } from './retry.js';
import { avaraUserSchema, type AvaraUser } from './types.js';

/** The parts of an HTTP answer these functions read. */
export interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Longest upstream error message kept for a client (4xx only). */
const MAX_UPSTREAM_MESSAGE_LENGTH = 500;

export function parseUser(answer: Answer, attempts: number): AvaraUser {
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
  const parsed = avaraUserSchema.safeParse(body);
  if (!parsed.success) throw malformed();
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
