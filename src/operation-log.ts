/**
 * One structured log line per operation: its name, request id, duration, the upstream calls it
 * made (status, attempts) and its error codes. Never variables, headers or results: those hold
 * credentials and personal data. The line stays proportional to the request's kind, not its size:
 * error codes are counted, not listed one per error, and a bug gets one error line per request
 * (its first occurrence, with the count), not one stack per failing field.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { roundMs } from './avara/client.js';
import type { GatewayContext } from './context.js';
import { isUnexpectedError } from './graphql/errors.js';

/**
 * The most characters of a text chosen by a client or by Avara (an operation name, an unknown
 * `clinicRole`) that a log line holds: a line stays short however long the text is.
 */
export const MAX_LOGGED_TEXT_LENGTH = 100;

export function capForLog(text: string): string {
  return text.length <= MAX_LOGGED_TEXT_LENGTH ? text : `${text.slice(0, MAX_LOGGED_TEXT_LENGTH)}…`;
}

/**
 * Whether `what` is met for the first time in this request: a warning caused by an answer is
 * written once per request, not once per field a client selects it through (100 aliases).
 */
export function isFirstInRequest(context: Pick<GatewayContext, 'logLine'>, what: string): boolean {
  if (context.logLine.warned.has(what)) return false;
  context.logLine.warned.add(what);
  return true;
}

/**
 * Whether this plugin logged the request: Apollo Server answers some requests (CSRF, batching,
 * malformed bodies) before its pipeline runs, and the HTTP edge logs those itself.
 */
export function wasLogged(context: GatewayContext | undefined): boolean {
  return context?.logLine.written === true;
}

export function operationLogPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      contextValue.logLine.written = true;
      return {
        async didEncounterErrors({ contextValue, errors }) {
          const unexpected = errors.filter(isUnexpectedError);
          const [first] = unexpected;
          if (first === undefined) return;
          contextValue.logger.error(
            {
              requestId: contextValue.requestId,
              err: first.originalError ?? first,
              unexpectedErrors: unexpected.length,
            },
            'unexpected error',
          );
        },
        async willSendResponse({ contextValue, response, operationName, operation }) {
          const { requestId, upstreamCalls, logger, redactCredential } = contextValue;
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          // Every error names the request, so a client's report can be found in this log; no
          // message may carry the credential this request sent (an upstream 400 can echo it).
          if (body?.errors) {
            body.errors = body.errors.map((error) => ({
              ...error,
              message: redactCredential(error.message),
              extensions: { ...error.extensions, requestId },
            }));
          }
          logger.info(
            {
              requestId,
              operationName: operationName == null ? null : capForLog(operationName),
              operationType: operation?.operation ?? null,
              status: response.http.status ?? 200,
              durationMs: roundMs(performance.now() - started),
              upstream: upstreamCalls,
              ...summarizeErrors(body?.errors),
              ...contextValue.trace.ids,
            },
            'operation',
          );
        },
      };
    },
  };
}

/** The distinct codes in order of first appearance, and how many errors there were. */
export function summarizeErrors(errors: readonly GraphQLFormattedError[] | undefined): {
  errorCodes: (string | null)[];
  errorCount: number;
} {
  if (errors === undefined) return { errorCodes: [], errorCount: 0 };
  const codes = new Set<string | null>();
  for (const error of errors) {
    const code = error.extensions?.code;
    codes.add(typeof code === 'string' ? code : null);
  }
  return { errorCodes: [...codes], errorCount: errors.length };
}
