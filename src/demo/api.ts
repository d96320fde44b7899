/**
 * The normal (unfaulted) answer to an API request, in the order the real API checks things:
 * body size, then auth, then routing and the endpoint's own rules.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { DemoResponse } from './http.js';
import { errorResponse, MAX_BODY_BYTES } from './http.js';
import { answerInvitationsRequest, INVITATIONS_PATH } from './invitations.js';
import type { Present, RouteRequest } from './routes.js';
import type { DemoStores } from './store.js';
import { answerUsersRequest } from './users.js';

export interface ApiRequest {
  method: string;
  /** The raw path, query string included. */
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  bodyTooLarge: boolean;
  present: Present;
}

export interface ApiSettings {
  stores: DemoStores;
  /** Accepted bearer tokens; `undefined` accepts any non-empty token. */
  apiKeys: ReadonlySet<string> | undefined;
}

// RFC 6750 §2.1: the scheme is case-insensitive, the token is one run of token68 characters.
const BEARER_PATTERN = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

const UNAUTHENTICATED_HEADERS = { 'www-authenticate': 'Bearer' };

/** The auth problem with a request, or `undefined` when its bearer token is accepted. */
export function checkBearerToken(
  authorization: string | undefined,
  apiKeys: ReadonlySet<string> | undefined,
): string | undefined {
  const token = authorization === undefined ? undefined : BEARER_PATTERN.exec(authorization)?.[1];
  if (token === undefined)
    return 'Missing or malformed Authorization header; expected Bearer <api key>';
  if (apiKeys !== undefined && !apiKeys.has(token)) return 'Invalid API key';
  return undefined;
}

export function answerApiRequest(
  { stores, apiKeys }: ApiSettings,
  request: ApiRequest,
): DemoResponse {
  if (request.bodyTooLarge) {
    return errorResponse(413, `Request body exceeds ${MAX_BODY_BYTES} bytes`);
  }
  const authProblem = checkBearerToken(request.headers.authorization, apiKeys);
  if (authProblem !== undefined) {
    return { ...errorResponse(401, authProblem), headers: UNAUTHENTICATED_HEADERS };
  }
  const queryStart = request.path.indexOf('?');
  const pathname = queryStart === -1 ? request.path : request.path.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? '' : request.path.slice(queryStart + 1));
  const route: RouteRequest = {
    method: request.method,
    pathname,
    query,
    body: request.body,
    present: request.present,
    stores,
    now: Date.now(),
  };
  // `/users/invitations…` first: under `/users/` it would read as a user id.
  const answer = isUnder(pathname, INVITATIONS_PATH)
    ? answerInvitationsRequest(route)
    : answerUsersRequest(route);
  return answer ?? errorResponse(404, 'Not found');
}

function isUnder(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}
