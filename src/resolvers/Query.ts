import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { assertNoFieldErrors, checkUserId } from '../graphql/validation.js';

export const Query: QueryResolvers = {
  user: async (_parent, { userId }, { userLoader }) => {
    assertNoFieldErrors(checkUserId(userId));
    return userLoader.load(userId);
  },
};
