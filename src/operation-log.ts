/**
 * One structured log line per operation: its name, request id, duration, the upstream calls it
 * made (status, attempts) and its error codes. Never variables, headers or results: those hold
 * credentials and personal data.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { roundMs } from './avara/client.js';
import type { GatewayContext } from './context.js';
import { isUnexpectedError } from './graphql/errors.js';

export function operationLogPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            if (isUnexpectedError(error)) {
              contextValue.logger.error(
                { requestId: contextValue.requestId, err: error.originalError ?? error },
                'unexpected error',
              );
            }
          }
        },
        async willSendResponse({ contextValue, response, operationName, operation }) {
          const { requestId, upstreamCalls, logger } = contextValue;
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          // Every error names the request, so a client's report can be found in this log.
          if (body?.errors) {
            body.errors = body.errors.map((error) => ({
              ...error,
              extensions: { ...error.extensions, requestId },
            }));
          }
          logger.info(
            {
              requestId,
              operationName: operationName ?? null,
              operationType: operation?.operation ?? null,
              status: response.http.status ?? 200,
              durationMs: roundMs(performance.now() - started),
              upstream: upstreamCalls,
              errorCodes: body?.errors?.map((error) => error.extensions?.code ?? null) ?? [],
              ...contextValue.trace.ids,
            },
            'operation',
          );
        },
      };
    },
  };
}
