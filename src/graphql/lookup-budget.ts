/**
 * The user-lookup budget (contract, Limits): an operation that would look up more users than
 * allowed, counting aliased `user` fields and `_entities` representations together, is refused
 * with HTTP 400 before anything is sent upstream.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** Root fields that each look up users, and how many. */
const LOOKUP_FIELDS = new Set(['user', 'users', 'invitation', 'invitations', '_entities']);

/**
 * How many users an operation's root fields would look up, fragments expanded. `@skip`/`@include`
 * are ignored: the count is an upper bound, decided before execution.
 */
export function countUserLookups(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>> = {},
): number {
  if (operation.operation !== 'query') return 0;
  const count = (selectionSet: SelectionSetNode, seen: ReadonlySet<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!LOOKUP_FIELDS.has(selection.name.value)) continue;
        if (selection.name.value !== '_entities') {
          total += 1;
          continue;
        }
        const representations = selection.arguments?.find(
          (a) => a.name.value === 'representations',
        );
        total += representations ? listLength(representations.value, variables) : 0;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += count(selection.selectionSet, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        // A cycle is a validation error already; never loop on one.
        if (fragment && !seen.has(name))
          total += count(fragment.selectionSet, new Set([...seen, name]));
      }
    }
    return total;
  };
  return count(operation.selectionSet, new Set());
}

function listLength(value: ValueNode, variables: Readonly<Record<string, unknown>>): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const list = variables[value.name.value];
    return Array.isArray(list) ? list.length : 1;
  }
  return 1;
}

export function userLookupBudgetPlugin<Context extends object>(
  maxUserLookups: number,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION)
              fragments[definition.name.value] = definition;
          }
          const lookups = countUserLookups(operation, fragments, request.variables);
          if (lookups > maxUserLookups) {
            throw new GraphQLError(
              `The operation would look up ${lookups} users; at most ${maxUserLookups} are allowed`,
              {
                extensions: {
                  code: 'GRAPHQL_VALIDATION_FAILED',
                  limit: { name: 'userLookups', max: maxUserLookups, actual: lookups },
                  http: { status: 400 },
                },
              },
            );
          }
        },
      };
    },
  };
}
