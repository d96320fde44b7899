/**
 * The custom scalars with behaviour of their own. `Date` takes strings only; whether a string is
 * a real `YYYY-MM-DD` day is checked with the other inputs (`list-filters.ts`), so that a bad day
 * is listed in `extensions.fieldErrors` beside every other problem of the request.
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const NOT_A_STRING = 'Date must be a string as YYYY-MM-DD';

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  serialize: (value) => {
    if (typeof value !== 'string') throw new GraphQLError(NOT_A_STRING);
    return value;
  },
  parseValue: (value) => {
    if (typeof value !== 'string') throw new GraphQLError(NOT_A_STRING);
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(NOT_A_STRING, { nodes: ast });
    return ast.value;
  },
});
