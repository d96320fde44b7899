/**
 * The executable subgraph schema: `schema.graphql` (the contract) with the resolvers.
 */
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { graphql, parse, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from './context.js';
import { guardEntityTypenames } from './graphql/entity-typenames.js';
import { resolvers } from './resolvers/index.js';

/** The contract, read once, relative to this module rather than the working directory. */
export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

export function createSchema(): GraphQLSchema {
  return guardEntityTypenames(
    buildSubgraphSchema([
      // Codegen's resolver types are stricter than the subgraph helper's map; the shapes agree.
      { typeDefs, resolvers: resolvers as GraphQLResolverMap<GatewayContext> },
    ]),
  );
}

/**
 * The subgraph SDL exactly as `_service { sdl }` serves it to a router, which is what
 * `rover subgraph publish --schema` wants.
 */
export async function printSubgraphSdl(schema: GraphQLSchema = createSchema()): Promise<string> {
  const result = await graphql({ schema, source: '{ _service { sdl } }' });
  const sdl = (result.data?._service as { sdl?: unknown } | undefined)?.sdl;
  if (result.errors || typeof sdl !== 'string') {
    throw new Error(`The schema does not serve _service.sdl: ${result.errors?.join('; ')}`);
  }
  return sdl;
}
