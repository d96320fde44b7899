/**
 * CORS, closed by default (contract: `CORS_ORIGINS`). An origin is allowed only when it is listed
 * exactly (or the list is `*`); the allowed request headers are a fixed list, never a reflection of
 * what a preflight asks for; and a request from a foreign origin is refused before GraphQL runs,
 * so a page that skips the preflight (a plain form post) cannot act either.
 *
 * Spec: https://fetch.spec.whatwg.org/#http-cors-protocol
 */
import type { CorsOrigins } from '../config.js';

/** Every header a browser client of this gateway sends (Apollo Client, Sandbox, a router's own). */
export const ALLOWED_REQUEST_HEADERS = [
  'content-type',
  'authorization',
  'x-request-id',
  'traceparent',
  'tracestate',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'router-authorization',
] as const;

const ALLOWED_METHODS = 'GET, POST';
/** Browsers cap this anyway (Chrome: 2 h); 10 minutes keeps a policy change quick to apply. */
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/** How a request's `Origin` relates to the policy. */
export type OriginDecision =
  /** No `Origin`, or the page the gateway itself served (Sandbox): not a cross-origin request. */
  'same-origin' | 'allowed' | 'foreign';

export interface CorsPolicy {
  decide(origin: string | undefined, host: string | undefined): OriginDecision;
  /** Headers for any answer to a request with this decision. */
  responseHeaders(origin: string | undefined, decision: OriginDecision): Record<string, string>;
  /** Headers for the answer to a preflight with this decision. */
  preflightHeaders(origin: string, decision: OriginDecision): Record<string, string>;
}

export function createCorsPolicy(
  origins: CorsOrigins,
  {
    /**
     * Whether the gateway serves a page of its own (the Sandbox landing page). Only then is an
     * `Origin` equal to the request's `Host` that page; otherwise it is a page whose host name was
     * re-pointed at the gateway (DNS rebinding), and is foreign like any other.
     * @default true
     */
    servesPages = true,
  }: { servesPages?: boolean } = {},
): CorsPolicy {
  const anyOrigin = origins === '*';
  const listed: ReadonlySet<string> = new Set(anyOrigin ? [] : origins);
  // The answer depends on Origin, so no cache may serve one origin's answer to another.
  const vary = { vary: 'Origin' };

  return {
    decide(origin, host) {
      if (origin === undefined) return 'same-origin';
      if (anyOrigin || listed.has(origin)) return 'allowed';
      return servesPages && isSameOrigin(origin, host) ? 'same-origin' : 'foreign';
    },
    responseHeaders(origin, decision) {
      if (decision !== 'allowed' || origin === undefined) return vary;
      return {
        ...vary,
        'access-control-allow-origin': anyOrigin ? '*' : origin,
        'access-control-expose-headers': 'x-request-id',
      };
    },
    preflightHeaders(origin, decision) {
      if (decision !== 'allowed') return vary;
      return {
        ...vary,
        'access-control-allow-origin': anyOrigin ? '*' : origin,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': ALLOWED_REQUEST_HEADERS.join(', '),
        'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
      };
    },
  };
}

/** The page was served by this gateway: its origin's host is the one the request was sent to. */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
