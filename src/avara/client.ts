/**
 * The Avara users API client: the only code that knows HTTP, got, URLs and wire JSON.
 * Callers get the verb's documented answer or an `AvaraError`; nothing else escapes. What each
 * verb sends is data in `requests.ts`; this file sends it.
 */
import type { Context } from '@opentelemetry/api';
import { RequestError, TimeoutError, type Response } from 'got';
import { parseAnswer, toStatusError } from './answers.js';
import { AvaraError } from './errors.js';
import type { AttemptObservation, AvaraInstrumentation } from './instrumentation.js';
import { createProtection, refusalOf, type ProtectionOptions } from './protection.js';
import { createTransport } from './transport.js';
import { decideRetry, type AttemptOutcome, type AvaraMethod, type RetryPolicy } from './retry.js';
import { invitationRequests, targetOf, userRequests, type AvaraRequest } from './requests.js';
import type {
  AvaraInvitation,
  AvaraInvitationListParams,
  AvaraInvitationPage,
  AvaraInvitationRevokeParams,
  AvaraSuccess,
  AvaraUser,
  AvaraUserInviteParams,
  AvaraUserListParams,
  AvaraUserPage,
  AvaraUserUpdateParams,
} from './types.js';

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
    /** `GET /v1/viewer/users`: one page of users. */
    list(params: AvaraUserListParams, call: AvaraCall): Promise<AvaraUserPage>;
    /** `POST /v1/viewer/users`: creates a user and emails them an invitation. */
    invite(params: AvaraUserInviteParams, call: AvaraCall): Promise<AvaraUser>;
    /** `POST /v1/viewer/users/revoke-access`. */
    revokeAccess(userId: string, call: AvaraCall): Promise<AvaraSuccess>;
    /** `POST /v1/viewer/users/reactivate`. */
    reactivate(userId: string, call: AvaraCall): Promise<AvaraSuccess>;
  };
  invitations: {
    /** `GET /v1/viewer/users/invitations`: one page of invitations. */
    list(params: AvaraInvitationListParams, call: AvaraCall): Promise<AvaraInvitationPage>;
    /** `GET /v1/viewer/users/invitations/{invitationId}`. A 404 is an `AvaraError`. */
    retrieve(invitationId: string, call: AvaraCall): Promise<AvaraInvitation>;
    /** `PATCH /v1/viewer/users/invitations/{invitationId}`. */
    update(
      invitationId: string,
      params: AvaraUserUpdateParams,
      call: AvaraCall,
    ): Promise<AvaraInvitation>;
    /** `POST /v1/viewer/users/invitations/revoke`. */
    revoke(params: AvaraInvitationRevokeParams, call: AvaraCall): Promise<AvaraSuccess>;
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
    json: object | undefined,
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
  async function sendWithRetries<T>(
    request: AvaraRequest<T>,
    call: AvaraCall,
    trace: Pick<UpstreamCallRecord, 'status' | 'attempts'>,
  ): Promise<T> {
    const { method, json } = request;
    const target = targetOf(request);
    const deadline = call.deadline ?? Number.POSITIVE_INFINITY;
    for (let retries = 0; ; retries++) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) throw new AvaraError({ kind: 'timeout', attempts: retries });
      const attempts = (trace.attempts = retries + 1);
      const result = await attempt(method, target, call, json, remainingMs, attempts);
      let outcome: AttemptOutcome;
      if ('response' in result) {
        const { response } = result;
        trace.status = response.statusCode;
        if (response.statusCode >= 200 && response.statusCode < 300) {
          return parseAnswer(response, attempts, request.parser);
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

  async function send<T>(request: AvaraRequest<T>, call: AvaraCall): Promise<T> {
    const { method } = request;
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
      const answer = await sendWithRetries(request, call, trace);
      report();
      return answer;
    } catch (error) {
      report(error instanceof AvaraError ? error.kind : undefined);
      throw error;
    }
  }

  return {
    users: {
      retrieve: (userId, call) => send(userRequests.retrieve(userId), call),
      update: (userId, params, call) => send(userRequests.update(userId, params), call),
      list: (params, call) => send(userRequests.list(params), call),
      invite: (params, call) => send(userRequests.invite(params), call),
      revokeAccess: (userId, call) => send(userRequests.revokeAccess(userId), call),
      reactivate: (userId, call) => send(userRequests.reactivate(userId), call),
    },
    invitations: {
      list: (params, call) => send(invitationRequests.list(params), call),
      retrieve: (invitationId, call) => send(invitationRequests.retrieve(invitationId), call),
      update: (invitationId, params, call) =>
        send(invitationRequests.update(invitationId, params), call),
      revoke: (params, call) => send(invitationRequests.revoke(params), call),
    },
    get circuit() {
      return protection.state;
    },
    close: () => transport.close(),
  };
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
