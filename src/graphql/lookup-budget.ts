/**
 * The user-lookup budget (contract, Limits): an operation that would look up more users than
 * allowed is refused with HTTP 400 before anything is sent upstream. It counts what will execute:
 * aliased `user`, `users`, `invitation` and `invitations` root fields one each, and every
 * `_entities` representation, read from the COERCED variables (defaults included), so a default
 * value cannot smuggle a list past the count.
 *
 * The count is linear in the document: each fragment's count is computed once and reused at
 * every spread, so a fragment bomb (`F25` spreading `F24` twice, …) costs its size, not 2^25.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getVariableValues,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** Root fields that each look up one user or one page, whatever their arguments. */
const ONE_LOOKUP_FIELDS: ReadonlySet<string> = new Set([
  'user',
  'users',
  'invitation',
  'invitations',
]);

/**
 * How many lookups an operation's root fields would make, fragments included. `@skip`/`@include`
 * are ignored: the count is an upper bound, decided before execution. `variables` are the
 * operation's coerced variable values.
 */
export function countUserLookups(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>> = {},
): number {
  if (operation.operation !== 'query') return 0;
  /** Each fragment's count, computed at its first spread; `null` while it is being computed. */
  const fragmentCounts = new Map<string, number | null>();

  const countFragment = (name: string): number => {
    const known = fragmentCounts.get(name);
    if (known !== undefined) return known ?? 0; // a cycle is a validation error: count it once
    const fragment = Object.hasOwn(fragments, name) ? fragments[name] : undefined;
    if (fragment === undefined) return 0;
    fragmentCounts.set(name, null);
    const total = countSelections(fragment.selectionSet);
    fragmentCounts.set(name, total);
    return total;
  };

  const countSelections = (selectionSet: SelectionSetNode): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (ONE_LOOKUP_FIELDS.has(name)) total += 1;
        else if (name === '_entities') {
          const representations = selection.arguments?.find(
            (argument) => argument.name.value === 'representations',
          );
          total += representations ? listLength(representations.value, variables) : 0;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += countSelections(selection.selectionSet);
      } else {
        total += countFragment(selection.name.value);
      }
    }
    return total;
  };

  return countSelections(operation.selectionSet);
}

/** The length of a list argument; a single value where a list is expected is a list of one. */
function listLength(value: ValueNode, variables: Readonly<Record<string, unknown>>): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const list = Object.hasOwn(variables, value.name.value) ? variables[value.name.value] : null;
    if (list === null || list === undefined) return 0;
    return Array.isArray(list) ? list.length : 1;
  }
  return value.kind === Kind.NULL ? 0 : 1;
}

export function userLookupBudgetPlugin<Context extends object>(
  maxUserLookups: number,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (!operation) return;
          // What execution will see: defaults applied, single values wrapped into lists.
          const coerced = getVariableValues(
            schema,
            operation.variableDefinitions ?? [],
            request.variables ?? {},
            { maxErrors: 1 },
          );
          // Variables that do not coerce fail the operation in execution, before any resolver.
          if (coerced.errors) return;
          const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION)
              fragments[definition.name.value] = definition;
          }
          const lookups = countUserLookups(operation, fragments, coerced.coerced);
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
