/**
 * Limits on an operation's shape, checked before execution, in the spirit of GraphQL Armor's
 * defaults (and with Armor's own rules). Tokens are capped by graphql-js's parser itself, so an
 * oversized document is a 400 `GRAPHQL_PARSE_FAILED`, never a 500.
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';

/**
 * Armor's rules throw by default (right for Envelop, a 500 in Apollo Server); reported to the
 * validation context instead, a breach is an ordinary 400 `GRAPHQL_VALIDATION_FAILED`.
 */
const reportToValidation = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) => context?.reportError(error),
  ],
};

export interface OperationLimits {
  /** Deepest field nesting; introspection is exempt. @default 6 */
  maxDepth: number;
  /** Aliases in one operation. @default 100, so that the user-lookup budget binds first */
  maxAliases: number;
  /** Directives in one operation. @default 50 */
  maxDirectives: number;
  /** Lexical tokens in one document. @default 5000 */
  maxTokens: number;
}

export function createLimitRules({
  maxDepth,
  maxAliases,
  maxDirectives,
}: OperationLimits): ValidationRule[] {
  return [
    maxDepthRule({
      n: maxDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
      ...reportToValidation,
    }),
    maxAliasesRule({ n: maxAliases, ...reportToValidation }),
    maxDirectivesRule({ n: maxDirectives, ...reportToValidation }),
  ] as ValidationRule[];
}
