/**
 * The only reader of the environment. Every variable is read once, blank means unset, each
 * default sits beside its name, and a bad value stops the start with one line naming the variable.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Parser<T> = (raw: string, name: string) => T;

interface Variable<T> {
  name: string;
  /** How the default reads in `--help` and the README. */
  defaultText: string;
  meaning: string;
  read(env: Env): T;
}

type Env = Readonly<Record<string, string | undefined>>;

function variable<T, D extends T | undefined>(
  name: string,
  meaning: string,
  parse: Parser<T>,
  fallback: D,
  defaultText = fallback === undefined ? 'unset' : String(fallback),
): Variable<T | D> {
  return {
    name,
    meaning,
    defaultText,
    read(env) {
      const raw = env[name]?.trim();
      return raw === undefined || raw === '' ? fallback : parse(raw, name);
    },
  };
}

/** Every variable the gateway reads, in the order `--help` and the README list them. */
export const CONFIG_VARIABLES = {
  avaraBaseUrl: variable(
    'AVARA_BASE_URL',
    'where the Avara REST API is (http or https)',
    httpUrl,
    undefined,
    'unset: embedded demo API',
  ),
  avaraApiKey: variable(
    'AVARA_API_KEY',
    "the gateway's own key, used for requests that bring no Authorization header",
    text,
    undefined,
  ),
  port: variable('PORT', 'listening port', integer(0, 65_535), 4000),
  avaraTimeoutMs: variable(
    'AVARA_TIMEOUT_MS',
    'time allowed for one upstream attempt',
    integer(1, 600_000),
    10_000,
  ),
  avaraMaxRetries: variable('AVARA_MAX_RETRIES', 'retries of one upstream call', integer(0, 10), 2),
  avaraRetryBaseDelayMs: variable(
    'AVARA_RETRY_BASE_DELAY_MS',
    'first retry backoff, doubled on each retry, with up to 25% jitter',
    integer(0, 60_000),
    500,
  ),
  avaraRetryMaxDelayMs: variable(
    'AVARA_RETRY_MAX_DELAY_MS',
    'longest retry backoff',
    integer(0, 60_000),
    8_000,
  ),
  avaraMaxConcurrency: variable(
    'AVARA_MAX_CONCURRENCY',
    'requests in flight to Avara at once (also the keep-alive pool size)',
    integer(1, 1_024),
    64,
  ),
  avaraMaxQueue: variable(
    'AVARA_MAX_QUEUE',
    'requests waiting for a free slot; beyond this UPSTREAM_UNAVAILABLE at once',
    integer(0, 100_000),
    256,
  ),
  avaraMaxConcurrencyPerCredential: variable(
    'AVARA_MAX_CONCURRENCY_PER_CREDENTIAL',
    "requests in flight to Avara at once for one credential; the rest wait in that caller's own queue",
    integer(1, 1_024),
    32,
  ),
  avaraMaxResponseBytes: variable(
    'AVARA_MAX_RESPONSE_BYTES',
    'the largest answer body read from Avara; a longer one fails its operation with UPSTREAM_ERROR, unretried',
    integer(1_024, 1_073_741_824),
    1_048_576,
  ),
  avaraBreakerFailureRatio: variable(
    'AVARA_BREAKER_FAILURE_RATIO',
    'share of failed attempts (no answer or 5xx) in the window that opens the circuit breaker',
    positiveRatio,
    0.5,
  ),
  avaraBreakerMinAttempts: variable(
    'AVARA_BREAKER_MIN_ATTEMPTS',
    'fewest attempts in the window before the breaker judges the ratio',
    integer(1, 1_000_000),
    20,
  ),
  avaraBreakerWindowMs: variable(
    'AVARA_BREAKER_WINDOW_MS',
    'the sliding window the breaker measures the ratio and the attempts over',
    integer(100, 600_000),
    10_000,
  ),
  avaraBreakerHalfOpenMs: variable(
    'AVARA_BREAKER_HALF_OPEN_MS',
    'how long an open circuit fails fast before one probe request is let through',
    integer(1, 600_000),
    5_000,
  ),
  avaraRetryBudgetRatio: variable(
    'AVARA_RETRY_BUDGET_RATIO',
    'retries allowed per first attempt over the budget window',
    ratio,
    0.2,
  ),
  avaraRetryBudgetMinPerSecond: variable(
    'AVARA_RETRY_BUDGET_MIN_PER_SECOND',
    'retries allowed per second whatever the traffic (the reserve)',
    integer(0, 100_000),
    10,
  ),
  avaraRetryBudgetWindowMs: variable(
    'AVARA_RETRY_BUDGET_WINDOW_MS',
    'the sliding window the retry budget is counted over',
    integer(100, 600_000),
    10_000,
  ),
  operationDeadlineMs: variable(
    'OPERATION_DEADLINE_MS',
    "time one operation may spend on Avara, retries included; below a router's 30 s subgraph timeout",
    integer(1, 600_000),
    25_000,
  ),
  lookupConcurrency: variable(
    'AVARA_LOOKUP_CONCURRENCY',
    'most GETs of each kind (user, invitation, list page) one operation sends to Avara at once',
    integer(1, 100),
    8,
  ),
  maxUserLookups: variable(
    'MAX_USER_LOOKUPS',
    'most users one operation may look up (aliased user fields and _entities representations)',
    integer(1, 10_000),
    100,
  ),
  maxBodyBytes: variable(
    'MAX_BODY_BYTES',
    'largest request body; larger is refused with HTTP 413',
    integer(1, 10_000_000),
    100_000,
  ),
  maxResponseBytes: variable(
    'MAX_RESPONSE_BYTES',
    'largest answer one request may produce; larger is refused with HTTP 400 RESPONSE_TOO_LARGE',
    integer(1_000, 100_000_000),
    1_048_576,
  ),
  maxConnections: variable(
    'MAX_CONNECTIONS',
    'client connections open at once; a connection beyond it is closed at once',
    integer(1, 1_000_000),
    1_024,
  ),
  headersTimeoutMs: variable(
    'HTTP_HEADERS_TIMEOUT_MS',
    "time a client has to send a request's headers; then 408 and the connection closes",
    integer(100, 600_000),
    10_000,
  ),
  requestTimeoutMs: variable(
    'HTTP_REQUEST_TIMEOUT_MS',
    'time a client has to send a whole request, body included; then 408 and the connection closes',
    integer(100, 600_000),
    15_000,
  ),
  keepAliveTimeoutMs: variable(
    'HTTP_KEEP_ALIVE_TIMEOUT_MS',
    'how long an idle keep-alive connection is kept open between requests',
    integer(100, 600_000),
    5_000,
  ),
  writeTimeoutMs: variable(
    'HTTP_WRITE_TIMEOUT_MS',
    'how long an answer may wait for a client that stopped reading it; then the connection closes',
    integer(100, 600_000),
    10_000,
  ),
  corsOrigins: variable(
    'CORS_ORIGINS',
    'comma-separated exact origins a browser may call from, or `*`; `*` with AVARA_API_KEY stops the start',
    originList,
    undefined,
    'unset: no cross-origin access (demo mode: any origin)',
  ),
  maxDepth: variable(
    'MAX_DEPTH',
    'deepest field nesting of an operation (introspection exempt)',
    integer(1, 100),
    6,
  ),
  maxAliases: variable('MAX_ALIASES', 'aliases in one operation', integer(0, 10_000), 100),
  maxDirectives: variable('MAX_DIRECTIVES', 'directives in one operation', integer(0, 10_000), 50),
  maxTokens: variable(
    'MAX_TOKENS',
    'lexical tokens in one document; more is a 400 GRAPHQL_PARSE_FAILED',
    integer(1, 1_000_000),
    5_000,
  ),
  shutdownDelayMs: variable(
    'SHUTDOWN_DELAY_MS',
    'after SIGTERM/SIGINT, how long /health says 503 while still accepting (for a load balancer to notice)',
    integer(0, 600_000),
    0,
  ),
  shutdownGraceMs: variable(
    'SHUTDOWN_GRACE_MS',
    'then, how long in-flight operations may take before connections are closed',
    integer(0, 600_000),
    10_000,
  ),
  production: variable(
    'NODE_ENV',
    '`production` hides internals: no stack traces, unexpected errors masked',
    (raw) => raw === 'production',
    false,
    'unset',
  ),
  introspection: variable(
    'GRAPHQL_INTROSPECTION',
    'introspection and the Apollo Sandbox landing page',
    boolean,
    undefined,
    '`true`, `false` when `NODE_ENV=production`',
  ),
  routerSecret: variable(
    'ROUTER_SECRET',
    'when set, a request without `Router-Authorization: <secret>` is refused with 401',
    text,
    undefined,
  ),
  logLevel: variable('LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')}`, oneOf(LOG_LEVELS), 'info'),
} as const;

type Variables = typeof CONFIG_VARIABLES;
type ReadValues = { [Key in keyof Variables]: ReturnType<Variables[Key]['read']> };

/** Who may call from a browser: any origin, or exactly these (none when empty). */
export type CorsOrigins = '*' | readonly string[];

export interface Config extends Omit<ReadValues, 'introspection' | 'corsOrigins'> {
  /** Introspection and the Sandbox landing page; off in production unless asked for. */
  introspection: boolean;
  /** Unset: none, except in demo mode (no AVARA_BASE_URL), where the data is fictional. */
  corsOrigins: CorsOrigins;
}

export function loadConfig(env: Env = process.env): Config {
  const values = Object.fromEntries(
    Object.entries(CONFIG_VARIABLES).map(([key, spec]) => [key, spec.read(env)]),
  ) as ReadValues;
  // A service key usable from any web page would let any site act as the gateway.
  if (values.corsOrigins === '*' && values.avaraApiKey !== undefined) {
    throw new ConfigError(
      'CORS_ORIGINS=* cannot be used with AVARA_API_KEY set: any web page could use the key; list the allowed origins',
    );
  }
  if (values.requestTimeoutMs < values.headersTimeoutMs) {
    throw new ConfigError('HTTP_REQUEST_TIMEOUT_MS must not be below HTTP_HEADERS_TIMEOUT_MS');
  }
  return {
    ...values,
    introspection: values.introspection ?? !values.production,
    corsOrigins: values.corsOrigins ?? (values.avaraBaseUrl === undefined ? '*' : []),
  };
}

/** The `--help` text: every variable with its default. */
export function describeConfig(): string {
  const rows = Object.values(CONFIG_VARIABLES).map(
    ({ name, defaultText, meaning }) => `  ${name.padEnd(27)} ${meaning} (default: ${defaultText})`,
  );
  return ['Environment variables (blank means unset):', ...rows].join('\n');
}

function text(raw: string): string {
  return raw;
}

function integer(min: number, max: number): Parser<number> {
  return (raw, name) => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new ConfigError(
        `${name} must be a whole number from ${min} to ${max}, got ${quote(raw)}`,
      );
    }
    return value;
  };
}

/** A share from 0 to 1, e.g. `0.5`. */
function ratio(raw: string, name: string): number {
  const value = Number(raw);
  if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(raw) || value < 0 || value > 1) {
    throw new ConfigError(`${name} must be a number from 0 to 1, got ${quote(raw)}`);
  }
  return value;
}

/** A share above 0, up to 1. */
function positiveRatio(raw: string, name: string): number {
  const value = ratio(raw, name);
  if (value === 0)
    throw new ConfigError(`${name} must be above 0 and at most 1, got ${quote(raw)}`);
  return value;
}

function boolean(raw: string, name: string): boolean {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got ${quote(raw)}`);
}

function oneOf<T extends string>(allowed: readonly T[]): Parser<T> {
  return (raw, name) => {
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got ${quote(raw)}`);
  };
}

// The value is not echoed: a URL may carry credentials (https://user:pass@host).
function httpUrl(raw: string, name: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL`);
  }
  return raw.replace(/\/+$/, '');
}

/** `*`, or exact origins (`https://app.example.com`, no path, no trailing slash). */
function originList(raw: string, name: string): CorsOrigins {
  if (raw === '*') return '*';
  const origins = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (!isExactOrigin(origin)) {
      throw new ConfigError(
        `${name} must be \`*\` or comma-separated origins like https://app.example.com, got ${quote(origin)}`,
      );
    }
  }
  return origins;
}

function isExactOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    // No patterns: `https://*.example.com` parses as a host named `*.example.com`.
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.origin === text &&
      !text.includes('*')
    );
  } catch {
    return false;
  }
}

/** Quoted, so a value with a line break still makes a one-line message. */
function quote(raw: string): string {
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}
