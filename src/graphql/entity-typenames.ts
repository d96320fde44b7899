/**
 * `_entities` accepts only representations of this subgraph's entity types. `@apollo/subgraph`
 * throws a plain `Error` for an unknown `__typename` (an `INTERNAL_SERVER_ERROR`) and resolves a
 * non-entity one such as `Query` to a confusing runtime error; both are a caller's (a router's)
 * mistake, so they become a 400 `BAD_USER_INPUT` before any representation is looked up.
 */
import { GraphQLError, isUnionType, type GraphQLSchema } from 'graphql';

export function guardEntityTypenames(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  const entityUnion = schema.getType('_Entity');
  if (field === undefined || !isUnionType(entityUnion)) return schema;
  const entityTypes = new Set(entityUnion.getTypes().map((type) => type.name));
  const resolve = field.resolve;
  if (resolve === undefined) return schema;

  field.resolve = (source, args: { representations?: unknown }, context, info) => {
    const { representations } = args;
    if (Array.isArray(representations)) {
      const index = representations.findIndex((representation) => {
        const typename = (representation as { __typename?: unknown } | null)?.__typename;
        return typeof typename !== 'string' || !entityTypes.has(typename);
      });
      if (index !== -1) {
        throw new GraphQLError(
          `Representation ${index} of _entities does not name an entity type of this subgraph (${[...entityTypes].join(', ')})`,
          { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
        );
      }
    }
    return resolve(source, args, context, info);
  };
  return schema;
}
