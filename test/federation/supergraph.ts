/**
 * The two-subgraph supergraph the federation tests run: our users subgraph (the contract's
 * `schema.graphql`) next to the test-only studies subgraph, composed as a router would.
 */
import { composeServices, type CompositionResult } from '@apollo/composition';
import { typeDefs as usersTypeDefs } from '../../src/schema.js';
import { STUDIES_TYPE_DEFS } from '../support/studies-subgraph.js';

export interface SubgraphUrls {
  users?: string;
  studies?: string;
}

export function composeUsersAndStudies(urls: SubgraphUrls = {}): CompositionResult {
  return composeServices([
    { name: 'users', typeDefs: usersTypeDefs, url: urls.users },
    { name: 'studies', typeDefs: STUDIES_TYPE_DEFS, url: urls.studies },
  ]);
}

/** Composition errors as one readable text, so a failing composition names its causes. */
export function describeErrors(result: CompositionResult): string {
  return (result.errors ?? [])
    .map((error) => `${String(error.extensions['code'])}: ${error.message}`)
    .join('\n');
}

/** The supergraph SDL, or an error that lists every composition error. */
export function supergraphSdlFor(urls: Required<SubgraphUrls>): string {
  const result = composeUsersAndStudies(urls);
  if (result.errors !== undefined) {
    throw new Error(`the supergraph does not compose:\n${describeErrors(result)}`);
  }
  return result.supergraphSdl;
}
