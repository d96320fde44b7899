/**
 * The Avara users API client: the only code that knows HTTP, got, URLs and wire JSON.
 * Callers get an `AvaraUser` or an `AvaraError`; nothing else escapes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { RequestError, TimeoutError } from 'got';
import { malformedAnswer, parseUser, toStatusError, type Answer } from './answers.js';
import { AvaraError } from './errors.js';
import {
  createProtection,
  ProtectionRefusal,
  type ProtectionHealth,
  type ProtectionOptions,
} from './protection.js';
import { AnswerTooLargeError, createTransport, type RawAnswer } from './transport.js';
import { decideRetry, type AttemptOutcome, type AvaraMethod, type RetryPolicy } from './retry.js';
import type { AvaraUser, AvaraUserUpdateParams } from './types.js';

export interface AvaraClientOptions {
  /** Where the API is, e.g. `https://api.avarasoftware.com`. */
  baseUrl: string;
  /** Time allowed for one attempt, to the answer's last byte. @default 10000 */
  timeoutMs?: number;
  /** The longest answer body read; a longer one fails its call, unretried. @default 1048576 */
  maxResponseBytes?: number;
  retry: RetryPolicy;
  /** Pool, fair share, circuit breaker and retry budget. @default createProtection's defaults */
  protection?: ProtectionOptions;
  /** `User-Agent` sent upstream. */
  userAgent?: string;
  /** Jitter source for backoff; tests pin it. @default Math.random */
  random?: () => number;
}

/** Who is calling, per GraphQL request. */
export interface AvaraCall {
  /** The `Authorization` header value to send. */
  authorization: string;
  /** Sent as `x-request-id`, so Avara's logs can be joined to ours. */
  requestId?: string;
  /** Epoch milliseconds after which nothing runs, queue waits included: the operation's deadline. */
  deadline?: number;
  /** Told about each call when it is over, for the operation's log line. */
  onCallEnd?: (record: UpstreamCallRecord) => void;
}

/** One upstream call as the operation log shows it: no URL, id, header or body. */
export interface UpstreamCallRecord {
  method: AvaraMethod;
  /** The last answer's status, when there was one. */
  status?: number;
  /** What failed, when the call failed. */
  failure?: AvaraError['kind'];
  /** Attempts actually sent; one refused before sending is not counted. */
  attempts: number;
  durationMs: number;
}

export interface AvaraClient {
  users: {
    /** `GET /v1/viewer/users/{userId}`. A 404 is an `AvaraError` with status 404. */
    retrieve(userId: string, call: AvaraCall): Promise<AvaraUser>;
    /** `PATCH /v1/viewer/users/{userId}`: only the keys present in `params` change. */
    update(userId: string, params: AvaraUserUpdateParams, call: AvaraCall): Promise<AvaraUser>;
  };
  /** The circuit breaker's state. */
  readonly circuit: ProtectionHealth['circuit'];
  /** What `/health` reports: the circuit and the retry budget's unspent share. */
  health(): ProtectionHealth;
  /** Closes pooled sockets. */
  close(): void;
}

/** Connection failures that happen before a request can have been sent. */
const NOT_SENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Reads a 2xx answer into what the verb returns. @throws AvaraError (malformed) */
type AnswerParser<T> = (answer: Answer, attempts: number) => T;

type Trace = Pick<UpstreamCallRecord, 'status' | 'attempts'>;

export function createAvaraClient(options: AvaraClientOptions): AvaraClient {
  const {
    baseUrl,
    timeoutMs = 10_000,
    maxResponseBytes = 1_048_576,
    retry,
    protection: protectionOptions = {},
    userAgent = 'avara-graphql-gateway',
    random = Math.random,
  } = options;
  const maxSockets = protectionOptions.maxConcurrency ?? 64;

  const protection = createProtection({ ...protectionOptions, maxConcurrency: maxSockets });
  const transport = createTransport({
    baseUrl,
    timeoutMs,
    maxSockets,
    userAgent,
    maxResponseBytes,
  });

  /**
   * One attempt through the protection: an answer, or why there was none.
   * @throws ProtectionRefusal when it was not sent
   */
  async function attempt(
    method: AvaraMethod,
    path: string,
    call: AvaraCall,
    json: unknown,
    context: { first: boolean; deadline: number; signal: AbortSignal | undefined },
  ): Promise<{ answer: RawAnswer } | { failure: TransportFailure; errorCode: string }> {
    const headers = {
      authorization: call.authorization,
      ...(call.requestId !== undefined && { 'x-request-id': call.requestId }),
    };
    const send = () => {
      if (context.first) protection.retryBudget.recordFirstAttempt();
      // Measured at the moment of sending: time spent queued is the deadline's, not extra.
      const attemptMs = Math.max(1, Math.min(timeoutMs, context.deadline - Date.now()));
      return transport.request(path, { method, headers, json, timeoutMs: attemptMs });
    };
    try {
      return {
        answer: await protection.execute(send, {
          authorization: call.authorization,
          signal: context.signal,
          // No answer at all, or a 5xx: Avara is struggling. A 4xx is an answer about our request.
          isFailure: (outcome) =>
            'result' in outcome
              ? outcome.result.statusCode >= 500
              : outcome.error instanceof AnswerTooLargeError
                ? outcome.error.statusCode >= 500
                : outcome.error instanceof RequestError,
        }),
      };
    } catch (error) {
      if (error instanceof ProtectionRefusal || error instanceof AnswerTooLargeError) throw error;
      if (!(error instanceof RequestError)) throw error; // a bug of ours, not a transport failure
      return { failure: classify(error), errorCode: error.code };
    }
  }

  /**
   * The retry loop; `trace` follows it for the operation log. A retry that is not sent (the
   * circuit opened, the budget is spent, the deadline came in the queue) reports what the last
   * sent attempt got, as if the retries were used up.
   */
  async function sendWithRetries<T>(
    method: AvaraMethod,
    path: string,
    call: AvaraCall,
    json: unknown,
    parse: AnswerParser<T>,
    trace: Trace,
  ): Promise<T> {
    const deadline = call.deadline ?? Number.POSITIVE_INFINITY;
    const remaining = () => deadline - Date.now();
    // Ends queue waits at the deadline; its timer goes with the call, not 25 s later.
    const expiry = Number.isFinite(deadline) ? new AbortController() : undefined;
    const timer = expiry && setTimeout(() => expiry.abort(), Math.max(0, remaining()));
    try {
      return await retryLoop(method, path, call, json, parse, trace, deadline, expiry?.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  async function retryLoop<T>(
    method: AvaraMethod,
    path: string,
    call: AvaraCall,
    json: unknown,
    parse: AnswerParser<T>,
    trace: Trace,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const remaining = () => deadline - Date.now();
    let lastFailure: AvaraError | undefined;
    for (let retries = 0; ; retries++) {
      if (remaining() <= 0) {
        throw lastFailure ?? new AvaraError({ kind: 'timeout', attempts: trace.attempts });
      }
      let result: Awaited<ReturnType<typeof attempt>>;
      try {
        result = await attempt(method, path, call, json, {
          first: retries === 0,
          deadline,
          signal,
        });
      } catch (error) {
        if (error instanceof AnswerTooLargeError) {
          trace.attempts += 1;
          trace.status = error.statusCode === 0 ? undefined : error.statusCode;
          throw malformedAnswer(error, trace.attempts, 'too-large');
        }
        if (!(error instanceof ProtectionRefusal)) throw error;
        if (lastFailure) throw lastFailure;
        if (error.reason === 'deadline') {
          throw new AvaraError({ kind: 'timeout', attempts: trace.attempts });
        }
        throw new AvaraError({ kind: 'refused', refusal: error.reason, attempts: trace.attempts });
      }
      const attempts = (trace.attempts += 1);
      let outcome: AttemptOutcome;
      if ('answer' in result) {
        const { answer } = result;
        trace.status = answer.statusCode;
        if (answer.statusCode >= 200 && answer.statusCode < 300) return parse(answer, attempts);
        outcome = { method, status: answer.statusCode, headers: answer.headers };
        lastFailure = toStatusError(answer, attempts);
      } else {
        trace.status = undefined;
        outcome = { method, failure: result.failure };
        const kind = result.failure === 'timeout' ? 'timeout' : 'connection';
        lastFailure = new AvaraError({ kind, attempts, errorCode: result.errorCode });
      }
      const decision = decideRetry(outcome, retries, retry, random);
      // A wait that would outlast the deadline is no retry, and neither is one past the budget.
      if (!decision.retry || decision.delayMs >= remaining()) throw lastFailure;
      if (!protection.retryBudget.tryRetry()) throw lastFailure;
      await sleep(decision.delayMs);
    }
  }

  async function send<T>(
    method: AvaraMethod,
    path: string,
    call: AvaraCall,
    json: unknown,
    parse: AnswerParser<T>,
  ): Promise<T> {
    const started = performance.now();
    const trace: Trace = { attempts: 0 };
    const report = (failure?: AvaraError['kind']) =>
      call.onCallEnd?.({
        method,
        ...trace,
        failure,
        durationMs: roundMs(performance.now() - started),
      });
    try {
      const value = await sendWithRetries(method, path, call, json, parse, trace);
      report();
      return value;
    } catch (error) {
      report(error instanceof AvaraError ? error.kind : undefined);
      throw error;
    }
  }

  const userParser =
    (userId: string): AnswerParser<AvaraUser> =>
    (answer, attempts) =>
      parseUser(answer, attempts, userId);

  return {
    users: {
      retrieve: (userId, call) =>
        send('GET', `users/${encodePathSegment(userId)}`, call, undefined, userParser(userId)),
      update: (userId, params, call) =>
        send('PATCH', `users/${encodePathSegment(userId)}`, call, params, userParser(userId)),
    },
    get circuit() {
      return protection.state;
    },
    health: () => protection.health(),
    close: () => transport.close(),
  };
}

/**
 * Percent-encodes one path segment, keeping RFC 3986 `pchar` characters as Avara's SDKs do.
 * An empty or dot segment is refused: URL parsers resolve `.`, `..` and even `%2E%2E`, so no
 * encoding keeps such an id inside `/users/`. Validation refuses them first; this is the backstop.
 */
export function encodePathSegment(value: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new RangeError('An empty or dot path segment would leave /users/{userId}');
  }
  return encodeURIComponent(value).replace(/%(3A|40|24|26|2B|2C|3B|3D)/g, (_match, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** Milliseconds to two decimals: enough for a log line. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

type TransportFailure = 'refused' | 'lost' | 'timeout';

/**
 * Sorts a transport error by whether the request can have reached Avara. Only this verdict and
 * the error code are kept, never got's error: it carries the request options, credential included.
 */
function classify(error: RequestError): TransportFailure {
  if (error instanceof TimeoutError) return 'timeout';
  return NOT_SENT_ERROR_CODES.has(error.code) ? 'refused' : 'lost';
}
