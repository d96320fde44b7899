import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { toUserUpdateParams } from '../graphql/user-patch.js';
import { assertNoFieldErrors, checkUserId } from '../graphql/validation.js';

export const Mutation: MutationResolvers = {
  updateUser: async (_parent, { userId, input }, { avara, userLoader }) => {
    const { params, fieldErrors } = toUserUpdateParams(input);
    assertNoFieldErrors([...checkUserId(userId), ...fieldErrors]);
    const user = await avara.users.update(userId, params);
    // Later reads of this user in the same operation see the change, not a stale copy.
    userLoader.clear(userId).prime(userId, user);
    return user;
  },
};
