/**
 * A validation rule: an operation type the schema has no root for (`subscription` here) is a
 * 400 `GRAPHQL_VALIDATION_FAILED`. graphql-js 16 only finds out while executing, which Apollo
 * Server reports as an `INTERNAL_SERVER_ERROR` with status 200.
 */
import { GraphQLError, type ValidationRule } from 'graphql';

export const supportedOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation) === undefined) {
      context.reportError(
        new GraphQLError(`This subgraph does not support ${node.operation} operations`, {
          nodes: node,
        }),
      );
    }
  },
});
