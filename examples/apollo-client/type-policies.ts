/**
 * Apollo Client cache setup for the Avara GraphQL gateway: `new InMemoryCache({ typePolicies })`.
 *
 * `User` has no `id` field; it is identified by `userId` (its federation `@key`). With this
 * policy the cache keeps one `User:{"userId":"usr_…"}` entry per user, so the fields `updateUser`
 * returns update every cached query that shows that user, with no refetch. Select `userId`
 * wherever you select a `User`: the cache needs it to store the user.
 */
import type { TypePolicies } from '@apollo/client';

export const typePolicies: TypePolicies = {
  User: { keyFields: ['userId'] },
};
