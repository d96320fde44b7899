/**
 * Reading Avara's answers: a 2xx must be valid UTF-8, the documented JSON of its verb and the very
 * resource asked for; anything else becomes an `AvaraError` carrying only what a client may see (status, request
 * id, a 4xx message). A lenient decoder would turn bad bytes into U+FFFD, and a client that loads
 * and saves the user would then overwrite the real name.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import { AvaraError, type MalformedProblem } from './errors.js';
import { parseRetryAfterMs } from './retry.js';

/** The parts of an HTTP answer these functions read. */
export interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The bytes received. */
  body: Uint8Array;
}

/** Longest upstream error message kept for a client (4xx only). */
const MAX_UPSTREAM_MESSAGE_LENGTH = 500;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The `UPSTREAM_ERROR` for an answer that is not what was documented. */
export function malformedAnswer(
  answer: Pick<Answer, 'statusCode' | 'headers'>,
  attempts: number,
  problem: MalformedProblem,
): AvaraError {
  return new AvaraError({
    kind: 'malformed',
    status: answer.statusCode === 0 ? undefined : answer.statusCode,
    requestId: requestIdOf(answer),
    attempts,
    problem,
  });
}

/** The body as JSON, decoded strictly. @throws AvaraError (malformed) */
export function readJson(answer: Answer, attempts: number): unknown {
  let text: string;
  try {
    text = strictUtf8.decode(answer.body);
  } catch {
    throw malformedAnswer(answer, attempts, 'not-utf8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw malformedAnswer(answer, attempts, 'not-json');
  }
}

/**
 * How a verb reads its 2xx answer: the documented shape, and optionally a check that it is the
 * answer to this request (the resource asked for, not another one).
 */
export interface AnswerParser<T> {
  schema: z.ZodType<T>;
  /** Whether a well-formed answer is the one asked for; a `false` is `malformed`. */
  isExpected?: (value: T) => boolean;
}

/**
 * A verb's answer, which must be the one asked for: an answer about another user or invitation
 * (a misrouted or cached response upstream) is never served as the requested one.
 */
export function parseAnswer<T>(
  answer: Answer,
  attempts: number,
  { schema, isExpected }: AnswerParser<T>,
): T {
  const parsed = schema.safeParse(readJson(answer, attempts));
  if (!parsed.success) throw malformedAnswer(answer, attempts, 'wrong-shape');
  if (isExpected !== undefined && !isExpected(parsed.data)) {
    throw malformedAnswer(answer, attempts, 'not-asked-for');
  }
  return parsed.data;
}

export function toStatusError(answer: Answer, attempts: number): AvaraError {
  const status = answer.statusCode;
  return new AvaraError({
    kind: 'status',
    status,
    attempts,
    requestId: requestIdOf(answer),
    retryAfterMs: capRetryAfter(parseRetryAfterMs(answer.headers)),
    // A 5xx body may hold internals (stack traces, hosts); only a 4xx explains our request.
    upstreamMessage: status < 500 ? messageOf(answer.body) : undefined,
  });
}

/** The longest wait told to a client (contract: `retryAfterSeconds` at most 3600). */
export const MAX_RETRY_AFTER_MS = 3_600_000;

function capRetryAfter(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.min(ms, MAX_RETRY_AFTER_MS);
}

function requestIdOf({ headers }: Pick<Answer, 'headers'>): string | undefined {
  const id = headers['x-request-id'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Avara's human `message`: usually a string, sometimes an object or an array. */
function messageOf(body: Uint8Array): string | undefined {
  let message: unknown;
  try {
    message = (JSON.parse(strictUtf8.decode(body)) as { message?: unknown } | null)?.message;
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
