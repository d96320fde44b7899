/**
 * Apollo Server plugin: one span per GraphQL operation (child of the request's server span,
 * parent of its Avara attempts) and `avara_gateway_operations_total`. The operation's trace ids
 * go on the context, for its log line.
 */
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { GatewayContext } from '../context.js';
import { operationCodeLabel } from './labels.js';
import type { Telemetry } from './telemetry.js';

export function telemetryPlugin({
  metrics,
  tracing,
}: Pick<Telemetry, 'metrics' | 'tracing'>): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const span = tracing?.startOperationSpan(contextValue.trace.context);
      if (span) {
        contextValue.trace.context = span.context;
        contextValue.trace.ids = span.ids;
      }
      return {
        // Only with a span to name: each hook costs a call per operation.
        ...(span && {
          async didResolveOperation({ operation, operationName }) {
            if (operation) span.resolved(operation.operation, operationName ?? undefined);
          },
        }),
        async willSendResponse({ response, operation }) {
          const code = operationCodeLabel(firstErrorCode(response) ?? 'OK');
          metrics?.countOperation(operation?.operation, code);
          span?.end(code);
        },
      };
    },
  };
}

/** The contract's `code`: the first error's `extensions.code` (unchecked: labels.ts closes it). */
function firstErrorCode({ body }: GraphQLResponse): unknown {
  const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
  if (errors === undefined || errors.length === 0) return undefined;
  return errors[0]?.extensions?.code ?? 'OTHER';
}
