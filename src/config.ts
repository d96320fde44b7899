/**
 * The only reader of the environment. Every variable is read once, blank means unset, defaults
 * sit beside the names, and a bad value stops the start with one line naming the variable.
 */

export interface Config {
  /** Where the Avara REST API is; `undefined` starts the embedded demo API. */
  avaraBaseUrl: string | undefined;
  /** The gateway's own key, for requests that bring no `Authorization` header. */
  avaraApiKey: string | undefined;
  port: number;
  avaraTimeoutMs: number;
  avaraMaxRetries: number;
  avaraRetryBaseDelayMs: number;
  avaraRetryMaxDelayMs: number;
  /** `NODE_ENV=production`: internals are hidden from clients. */
  production: boolean;
  /** Introspection and the Apollo Sandbox landing page. */
  introspection: boolean;
  /** When set, every GraphQL request must bring `Router-Authorization: <secret>`. */
  routerSecret: string | undefined;
  logLevel: LogLevel;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** One variable: its name, what it holds, and its parser (`undefined` in, default out). */
export const CONFIG_VARIABLES = [
  {
    name: 'AVARA_BASE_URL',
    default: 'unset: embedded demo API',
    meaning: 'where the Avara REST API is',
  },
  {
    name: 'AVARA_API_KEY',
    default: 'unset',
    meaning: "the gateway's own key, for requests without Authorization",
  },
  { name: 'PORT', default: '4000', meaning: 'listening port' },
  { name: 'AVARA_TIMEOUT_MS', default: '10000', meaning: 'time allowed for one upstream attempt' },
  { name: 'AVARA_MAX_RETRIES', default: '2', meaning: 'retries of one upstream call' },
  {
    name: 'AVARA_RETRY_BASE_DELAY_MS',
    default: '500',
    meaning: 'first retry backoff, doubled per retry',
  },
  { name: 'AVARA_RETRY_MAX_DELAY_MS', default: '8000', meaning: 'longest retry backoff' },
  { name: 'NODE_ENV', default: 'unset', meaning: '`production` hides internals from clients' },
  {
    name: 'GRAPHQL_INTROSPECTION',
    default: 'true; false in production',
    meaning: 'introspection and the Sandbox landing page',
  },
  {
    name: 'ROUTER_SECRET',
    default: 'unset',
    meaning: 'required Router-Authorization header value',
  },
  { name: 'LOG_LEVEL', default: 'info', meaning: `one of ${LOG_LEVELS.join(', ')}` },
] as const;

export function loadConfig(env: Env = process.env): Config {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const production = read('NODE_ENV') === 'production';
  return {
    avaraBaseUrl: parseHttpUrl('AVARA_BASE_URL', read('AVARA_BASE_URL')),
    avaraApiKey: read('AVARA_API_KEY'),
    port: parseInteger('PORT', read('PORT'), 4000, 0, 65_535),
    avaraTimeoutMs: parseInteger('AVARA_TIMEOUT_MS', read('AVARA_TIMEOUT_MS'), 10_000, 1, 600_000),
    avaraMaxRetries: parseInteger('AVARA_MAX_RETRIES', read('AVARA_MAX_RETRIES'), 2, 0, 10),
    avaraRetryBaseDelayMs: parseInteger(
      'AVARA_RETRY_BASE_DELAY_MS',
      read('AVARA_RETRY_BASE_DELAY_MS'),
      500,
      0,
      60_000,
    ),
    avaraRetryMaxDelayMs: parseInteger(
      'AVARA_RETRY_MAX_DELAY_MS',
      read('AVARA_RETRY_MAX_DELAY_MS'),
      8_000,
      0,
      60_000,
    ),
    production,
    introspection: parseBoolean(
      'GRAPHQL_INTROSPECTION',
      read('GRAPHQL_INTROSPECTION'),
      !production,
    ),
    routerSecret: read('ROUTER_SECRET'),
    logLevel: parseOneOf('LOG_LEVEL', read('LOG_LEVEL'), LOG_LEVELS, 'info'),
  };
}

function parseInteger(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(
      `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(raw)}`);
}

function parseOneOf<T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (raw === undefined) return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
}

// The value is not echoed: a URL may carry credentials (https://user:pass@host).
function parseHttpUrl(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
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
