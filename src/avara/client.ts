/**
 * The Avara users API client: the only code that knows HTTP, got, URLs and wire JSON.
 * Callers get an `AvaraUser` or an `AvaraError`; nothing else escapes.
 */
import { HttpAgent, HttpsAgent } from 'agentkeepalive';
import got, { RequestError, TimeoutError, type Response } from 'got';
import { AvaraError } from './errors.js';
import { decideRetry, parseRetryAfterMs, type AvaraMethod, type RetryPolicy } from './retry.js';
import { avaraUserSchema, type AvaraUser, type AvaraUserUpdateParams } from './types.js';

export interface AvaraClientOptions {
  /** Where the API is, e.g. `https://api.avarasoftware.com`. */
  baseUrl: string;
  /** Time allowed for one attempt. @default 10000 */
  timeoutMs?: number;
  /** @default DEFAULT_RETRY_POLICY */
  retry: RetryPolicy;
  /** Most sockets open to Avara at once; further requests queue in the agent. @default 64 */
  maxSockets?: number;
  /** `User-Agent` sent upstream. */
  userAgent?: string;
  /** Jitter source for backoff; tests pin it. @default Math.random */
  random?: () => number;
  /** Waits between attempts; tests may observe it. @default setTimeout promise */
  sleep?: (ms: number) => Promise<void>;
}

/** Who is calling, per GraphQL request. */
export interface AvaraCall {
  /** The `Authorization` header value to send. */
  authorization: string;
  /** Sent as `x-request-id`, so Avara's logs can be joined to ours. */
  requestId?: string;
}

export interface AvaraClient {
  users: {
    /** `GET /v1/viewer/users/{userId}`. A 404 is an `AvaraError` with status 404. */
    retrieve(userId: string, call: AvaraCall): Promise<AvaraUser>;
    /** `PATCH /v1/viewer/users/{userId}`: only the keys present in `params` change. */
    update(userId: string, params: AvaraUserUpdateParams, call: AvaraCall): Promise<AvaraUser>;
  };
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

/** Longest upstream error message kept for a client (4xx only). */
const MAX_UPSTREAM_MESSAGE_LENGTH = 500;

export function createAvaraClient(options: AvaraClientOptions): AvaraClient {
  const {
    baseUrl,
    timeoutMs = 10_000,
    retry,
    maxSockets = 64,
    userAgent = 'avara-graphql-gateway',
    random = Math.random,
    sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  } = options;

  // Free sockets are dropped before a typical server's 5 s keep-alive timeout, so a request is
  // never written to a socket the server is closing (an ECONNRESET that would fail a PATCH).
  // The working-socket timeout stays above got's own, which is the one that should fire.
  const agentOptions = {
    keepAlive: true,
    maxSockets,
    maxFreeSockets: maxSockets,
    freeSocketTimeout: 4_000,
    timeout: timeoutMs + 1_000,
  };
  const agent = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };

  const http = got.extend({
    prefixUrl: `${baseUrl.replace(/\/+$/, '')}/v1/viewer/`,
    agent,
    timeout: { request: timeoutMs },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
    headers: { accept: 'application/json', 'user-agent': userAgent },
  });

  async function send(
    method: AvaraMethod,
    path: string,
    call: AvaraCall,
    json?: AvaraUserUpdateParams,
  ): Promise<AvaraUser> {
    const headers = {
      authorization: call.authorization,
      ...(call.requestId === undefined ? {} : { 'x-request-id': call.requestId }),
    };
    for (let retries = 0; ; retries++) {
      const attempts = retries + 1;
      let response: Response<string>;
      try {
        response = await http(path, { method, headers, json });
      } catch (error) {
        const failure = toFailure(error);
        const decision = decideRetry({ method, failure }, retries, retry, random);
        if (!decision.retry) throw toFailureError(error, failure, attempts);
        await sleep(decision.delayMs);
        continue;
      }
      const { statusCode: status } = response;
      if (status >= 200 && status < 300) return parseUser(response, attempts);
      const decision = decideRetry(
        { method, status, headers: response.headers },
        retries,
        retry,
        random,
      );
      if (!decision.retry) throw toStatusError(response, attempts);
      await sleep(decision.delayMs);
    }
  }

  return {
    users: {
      retrieve: (userId, call) => send('GET', `users/${encodePathSegment(userId)}`, call),
      update: (userId, params, call) =>
        send('PATCH', `users/${encodePathSegment(userId)}`, call, params),
    },
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
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

/** Sorts a transport error by whether the request can have reached Avara. */
function toFailure(error: unknown): 'refused' | 'lost' | 'timeout' {
  if (!(error instanceof RequestError)) throw error; // a bug of ours, not a transport failure
  if (error instanceof TimeoutError) return 'timeout';
  return NOT_SENT_ERROR_CODES.has(error.code) ? 'refused' : 'lost';
}

// The got error is not kept as `cause`: it carries the request options, credential included.
function toFailureError(error: unknown, failure: 'refused' | 'lost' | 'timeout', attempts: number) {
  const errorCode = error instanceof RequestError ? error.code : undefined;
  return new AvaraError({
    kind: failure === 'timeout' ? 'timeout' : 'connection',
    attempts,
    errorCode,
  });
}

function toStatusError(response: Response<string>, attempts: number): AvaraError {
  const status = response.statusCode;
  return new AvaraError({
    kind: 'status',
    status,
    attempts,
    requestId: requestIdOf(response),
    retryAfterMs: parseRetryAfterMs(response.headers),
    // A 5xx body may hold internals (stack traces, hosts); only a 4xx explains our request.
    upstreamMessage: status < 500 ? messageOf(response.body) : undefined,
  });
}

function parseUser(response: Response<string>, attempts: number): AvaraUser {
  const malformed = () =>
    new AvaraError({
      kind: 'malformed',
      status: response.statusCode,
      requestId: requestIdOf(response),
      attempts,
    });
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw malformed();
  }
  const parsed = avaraUserSchema.safeParse(body);
  if (!parsed.success) throw malformed();
  return parsed.data;
}

function requestIdOf(response: Response<string>): string | undefined {
  const id = response.headers['x-request-id'];
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
