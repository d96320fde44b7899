/**
 * The Avara users API client: the only code that knows HTTP, got, URLs and wire JSON.
 * Callers get the verb's documented answer or an `AvaraError`; nothing else escapes. What each
 * verb sends is data in `requests.ts`; this file sends it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { RequestError, TimeoutError } from 'got';
import { malformedAnswer, parseAnswer, toStatusError, type Answer } from './answers.js';
import { AvaraError } from './errors.js';
import {
  createProtection,
  ProtectionRefusal,
  type ProtectionHealth,
  type ProtectionOptions,
} from './protection.js';
import { AnswerTooLargeError, createTransport, type RawAnswer } from './transport.js';
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
type ReadAnswer<T> = (answer: Answer, attempts: number) => T;

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
    parse: ReadAnswer<T>,
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
    parse: ReadAnswer<T>,
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

  async function send<T>(request: AvaraRequest<T>, call: AvaraCall): Promise<T> {
    const { method } = request;
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
      const answer = await sendWithRetries(
        method,
        targetOf(request),
        call,
        request.json,
        (raw, attempts) => parseAnswer(raw, attempts, request.parser),
        trace,
      );
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
    health: () => protection.health(),
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
