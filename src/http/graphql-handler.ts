/**
 * `/graphql` over bare `node:http`: the edge in front of Apollo Server's
 * `executeHTTPGraphQLRequest`, in the order a request meets it: request id, CORS (preflights, and
 * refusing foreign origins), the router secret, the bounded body read, then GraphQL, then the cap
 * on the answer's size. Every refusal, Apollo Server's own included, is a GraphQL error with a
 * stable code and `extensions.requestId`, and every request leaves exactly one log line (the
 * operation's, or one here when GraphQL never ran).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../logger.js';
import { summarizeErrors, wasLogged } from '../operation-log.js';
import { parseJsonBody, readBody } from './body.js';
import type { CorsPolicy } from './cors.js';
import { HttpRefusal, sendRefusal } from './refusal.js';
import { requestIdFrom } from './request-id.js';
import { sendResponse, type ResponseHeaders } from './response.js';

export interface ContextInput {
  headers: IncomingHttpHeaders;
  authorizations: readonly string[] | undefined;
  requestId: string;
}

export interface GraphQLHandlerOptions {
  apollo: ApolloServer<GatewayContext>;
  createContext(input: ContextInput): Promise<GatewayContext>;
  cors: CorsPolicy;
  /** Whether a `Router-Authorization` value lets the request in. */
  isFromRouter(value: string | string[] | undefined): boolean;
  logger: Logger;
  /** @default 100000 */
  maxBodyBytes: number;
  /** @default 1048576 */
  maxResponseBytes: number;
  /** @default 10000 */
  writeTimeoutMs: number;
}

export function createGraphQLHandler({
  apollo,
  createContext,
  cors,
  isFromRouter,
  logger,
  maxBodyBytes,
  maxResponseBytes,
  writeTimeoutMs,
}: GraphQLHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const tooLarge = new HttpRefusal(
    400,
    'RESPONSE_TOO_LARGE',
    `The answer would be larger than ${maxResponseBytes} bytes: select fewer fields or users (a mutation was still applied)`,
  );

  return async (req, res) => {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const { origin } = req.headers;
    const decision = cors.decide(origin, req.headers.host);
    res.setHeader('x-request-id', requestId);
    const logRefusal = (status: number, errorCodes: (string | null)[], errorCount = 1): void =>
      logger.info(
        { requestId, status, errorCodes, errorCount, durationMs: msSince(started) },
        'refused before GraphQL',
      );

    try {
      if (req.method === 'OPTIONS') {
        answerPreflight(req, res, cors, decision);
        return;
      }
      for (const [name, value] of Object.entries(cors.responseHeaders(origin, decision))) {
        res.setHeader(name, value);
      }
      if (decision === 'foreign') {
        throw new HttpRefusal(
          403,
          'FORBIDDEN_ORIGIN',
          'Requests from this origin are not allowed (CORS_ORIGINS)',
        );
      }
      if (!isFromRouter(req.headers['router-authorization'])) {
        throw new HttpRefusal(401, 'UNAUTHENTICATED', 'This subgraph only answers its router');
      }
      const body =
        req.method === 'POST'
          ? parseJsonBody(await readBody(req, maxBodyBytes), req.headers['content-type'])
          : undefined;

      let context: GatewayContext | undefined;
      const url = req.url ?? '';
      const query = url.indexOf('?');
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: req.method ?? 'GET',
          headers: toHeaderMap(req.headers),
          search: query === -1 ? '' : url.slice(query),
          body,
        },
        context: async () => {
          context = await createContext({
            headers: req.headers,
            authorizations: req.headersDistinct.authorization,
            requestId,
          });
          return context;
        },
      });

      const status = response.status ?? 200;
      const headers = headersOf(response);
      // Incremental delivery (@defer) needs graphql 17's experimental build; not served today.
      if (response.body.kind === 'chunked') {
        res.writeHead(status, headers);
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
        return;
      }
      let text = response.body.string;
      if (status >= 400 && !wasLogged(context)) {
        // Apollo Server refused it before its pipeline (CSRF, batching, a malformed body).
        const tagged = tagErrors(text, requestId);
        text = tagged.text;
        logRefusal(status, tagged.errorCodes, tagged.errorCount);
      }
      if (isLongerThan(text, maxResponseBytes)) {
        logger.warn(
          {
            requestId,
            status: tooLarge.status,
            errorCodes: [tooLarge.code],
            limit: maxResponseBytes,
          },
          'answer refused: too large',
        );
        sendRefusal(res, tooLarge, requestId);
        return;
      }
      sendResponse(res, status, headers, text, writeTimeoutMs, () =>
        logger.info(
          { requestId, writeTimeoutMs },
          'closed a connection that stopped reading its answer',
        ),
      );
    } catch (error) {
      if (res.headersSent || res.destroyed) {
        // The client went away (or the server timed it out) before an answer could be sent.
        logger.info({ requestId, durationMs: msSince(started) }, 'request abandoned');
        return;
      }
      if (error instanceof HttpRefusal) {
        logRefusal(error.status, [error.code]);
        sendRefusal(res, error, requestId);
        return;
      }
      logger.error(
        { requestId, status: 500, errorCodes: ['INTERNAL_SERVER_ERROR'], err: error },
        'unexpected HTTP error',
      );
      sendRefusal(
        res,
        new HttpRefusal(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'),
        requestId,
      );
    }
  };
}

/** A preflight gets the policy's answer; any other `OPTIONS` just learns the methods. */
function answerPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  cors: CorsPolicy,
  decision: ReturnType<CorsPolicy['decide']>,
): void {
  const { origin } = req.headers;
  const isPreflight =
    origin !== undefined && req.headers['access-control-request-method'] !== undefined;
  res.writeHead(204, {
    allow: 'GET, POST, OPTIONS',
    ...(isPreflight && cors.preflightHeaders(origin, decision)),
  });
  res.end();
}

function toHeaderMap(headers: IncomingHttpHeaders): HeaderMap {
  const map = new HeaderMap();
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) map.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return map;
}

function headersOf(response: HTTPGraphQLResponse): ResponseHeaders {
  const headers: ResponseHeaders = {};
  for (const [name, value] of response.headers) headers[name] = value;
  return headers;
}

/**
 * Apollo Server's refusals before its pipeline skip plugins: their errors get the request id here
 * (rare, so parsing the small body again costs nothing that matters).
 */
function tagErrors(
  text: string,
  requestId: string,
): { text: string; errorCodes: (string | null)[]; errorCount: number } {
  let body: { errors?: { extensions?: Record<string, unknown>; message: string }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return { text, errorCodes: [], errorCount: 0 };
  }
  if (!Array.isArray(body.errors)) return { text, errorCodes: [], errorCount: 0 };
  body.errors = body.errors.map((error) => ({
    ...error,
    extensions: { ...error.extensions, requestId },
  }));
  return { text: JSON.stringify(body), ...summarizeErrors(body.errors) };
}

/** UTF-8 takes 1 to 3 bytes per UTF-16 unit: the exact count is needed only near the cap. */
function isLongerThan(text: string, maxBytes: number): boolean {
  if (text.length * 3 <= maxBytes) return false;
  return text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes;
}

function msSince(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
