/**
 * The Avara users API client: the only code that knows HTTP, got, URLs and wire JSON.
 * Callers get an `AvaraUser` or an `AvaraError`; nothing else escapes.
 */
import type { Context } from '@opentelemetry/api';
import { RequestError, TimeoutError, type Response } from 'got';
import { parseUser, toStatusError } from './answers.js';
import { AvaraError } from './errors.js';
import type { AttemptObservation, AvaraInstrumentation } from './instrumentation.js';
import { createProtection, refusalOf, type ProtectionOptions } from './protection.js';
import { createTransport } from './transport.js';
import { decideRetry, type AttemptOutcome, type AvaraMethod, type RetryPolicy } from './retry.js';
import type { AvaraUser, AvaraUserUpdateParams } from './types.js';

export interface AvaraClientOptions {
  /** Where the API is, e.g. `https://api.avarasoftware.com`. */
  baseUrl: string;
  /** Time allowed for one attempt. @default 10000 */
  timeoutMs?: number;
  retry: RetryPolicy;
  /** Bulkhead and circuit breaker settings. @default createProtection's defaults */
  protection?: Omit<ProtectionOptions, 'isFailure'>;
  /** `User-Agent` sent upstream. */
  userAgent?: string;
  /** Jitter source for backoff; tests pin it. @default Math.random */
  random?: () => number;
  /** Told about each attempt (metrics, client spans); adds its headers (`traceparent`). */
  instrumentation?: AvaraInstrumentation;
}

/** Who is calling, per GraphQL request. */
export interface AvaraCall {
  /** The `Authorization` header value to send. */
  authorization: string;
  /** Sent as `x-request-id`, so Avara's logs can be joined to ours. */
  requestId?: string;
  /** Epoch milliseconds after which no attempt runs: the operation's deadline. */
  deadline?: number;
  /** Told about each call when it is over, for the operation's log line. */
  onCallEnd?: (record: UpstreamCallRecord) => void;
  /** The operation's trace context, parent of each attempt's client span. */
  traceContext?: Context;
}

/** One upstream call as the operation log shows it: no URL, id, header or body. */
export interface UpstreamCallRecord {
  method: AvaraMethod;
  /** The last answer's status, when there was one. */
  status?: number;
  /** What failed, when the call failed. */
  failure?: AvaraError['kind'];
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
  readonly circuit: 'closed' | 'open' | 'half-open';
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

export function createAvaraClient(options: AvaraClientOptions): AvaraClient {
  const {
    baseUrl,
    timeoutMs = 10_000,
    retry,
    protection: protectionOptions = {},
    userAgent = 'avara-graphql-gateway',
    random = Math.random,
    instrumentation,
  } = options;
  const maxSockets = protectionOptions.maxConcurrency ?? 64;

  const protection = createProtection({
    ...protectionOptions,
    maxConcurrency: maxSockets,
    isFailure: {
      // No answer at all, or a 5xx: Avara is struggling. A 4xx is an answer about our request.
      error: (error) => error instanceof RequestError,
      result: (result) => (result as Response).statusCode >= 500,
    },
  });

  const transport = createTransport({ baseUrl, timeoutMs, maxSockets, userAgent });
  const { http } = transport;

  /** One attempt through the protection: an answer, or why there was none. */
  async function attempt(
    method: AvaraMethod,
    path: string,
    call: AvaraCall,
    json: AvaraUserUpdateParams | undefined,
    remainingMs: number,
    attempts: number,
  ): Promise<{ response: Response<string> } | { failure: TransportFailure; errorCode: string }> {
    const headers = {
      authorization: call.authorization,
      ...(call.requestId !== undefined && { 'x-request-id': call.requestId }),
    };
    // Only an attempt the deadline cuts short needs its own timeout (and got's option merge).
    const timeout = remainingMs < timeoutMs ? { timeout: { request: remainingMs } } : {};
    let observed: AttemptObservation | undefined; // only once a slot is held: a refusal sends nothing
    try {
      const response = await protection.execute(() => {
        observed = instrumentation?.startAttempt({
          method,
          path,
          resendCount: attempts - 1,
          traceContext: call.traceContext,
        });
        const sent = observed?.headers ? { ...headers, ...observed.headers } : headers;
        return http(path, { method, headers: sent, json, ...timeout });
      });
      observed?.end({ status: response.statusCode });
      return { response };
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal) throw new AvaraError({ kind: 'refused', refusal, attempts });
      observed?.end({ failure: error instanceof RequestError ? classify(error) : 'internal' });
      if (!(error instanceof RequestError)) throw error; // a bug of ours, not a transport failure
      return { failure: classify(error), errorCode: error.code };
    }
  }

  /** The retry loop; `trace` follows it for the operation log. */
  async function sendWithRetries(
    method: AvaraMethod,
    path: string,
    call: AvaraCall,
    json: AvaraUserUpdateParams | undefined,
    trace: Pick<UpstreamCallRecord, 'status' | 'attempts'>,
  ): Promise<AvaraUser> {
    const deadline = call.deadline ?? Number.POSITIVE_INFINITY;
    for (let retries = 0; ; retries++) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) throw new AvaraError({ kind: 'timeout', attempts: retries });
      const attempts = (trace.attempts = retries + 1);
      const result = await attempt(method, path, call, json, remainingMs, attempts);
      let outcome: AttemptOutcome;
      if ('response' in result) {
        const { response } = result;
        trace.status = response.statusCode;
        if (response.statusCode >= 200 && response.statusCode < 300) {
          return parseUser(response, attempts);
        }
        outcome = { method, status: response.statusCode, headers: response.headers };
      } else {
        trace.status = undefined;
        outcome = { method, failure: result.failure };
      }
      const decision = decideRetry(outcome, retries, retry, random);
      // A wait that would outlast the deadline is no retry: report now.
      if (!decision.retry || decision.delayMs >= deadline - Date.now()) {
        if ('response' in result) throw toStatusError(result.response, attempts);
        const kind = result.failure === 'timeout' ? 'timeout' : 'connection';
        throw new AvaraError({ kind, attempts, errorCode: result.errorCode });
      }
      await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    }
  }

  async function send(
    method: AvaraMethod,
    path: string,
    call: AvaraCall,
    json?: AvaraUserUpdateParams,
  ): Promise<AvaraUser> {
    const started = performance.now();
    const trace: Pick<UpstreamCallRecord, 'status' | 'attempts'> = { attempts: 0 };
    const report = (failure?: AvaraError['kind']) =>
      call.onCallEnd?.({
        method,
        ...trace,
        failure,
        durationMs: roundMs(performance.now() - started),
      });
    try {
      const user = await sendWithRetries(method, path, call, json, trace);
      report();
      return user;
    } catch (error) {
      report(error instanceof AvaraError ? error.kind : undefined);
      throw error;
    }
  }

  return {
    users: {
      retrieve: (userId, call) => send('GET', `users/${encodePathSegment(userId)}`, call),
      update: (userId, params, call) =>
        send('PATCH', `users/${encodePathSegment(userId)}`, call, params),
    },
    get circuit() {
      return protection.state;
    },
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
