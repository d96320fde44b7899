import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import type { AvaraInvitation, AvaraUser } from '../avara/types.js';
import { loadConnection } from '../graphql/connection.js';
import { toInvitationListFilter, toUserListFilter } from '../graphql/list-filters.js';
import { assertNoFieldErrors, checkInvitationId, checkUserId } from '../graphql/validation.js';

export const Query: QueryResolvers = {
  user: async (_parent, { userId }, { userLoader }) => {
    assertNoFieldErrors(checkUserId(userId));
    return userLoader.load(userId);
  },

  users: async (
    _parent,
    { first, after, filter: input },
    { avara, userLoader, mayReadAnotherPage },
  ) => {
    const { filter, fieldErrors } = toUserListFilter(input);
    return loadConnection<AvaraUser, typeof filter>({
      list: 'users',
      first,
      after,
      filter,
      filterErrors: fieldErrors,
      source: {
        read: async (cursor, limit) => {
          const page = await avara.users.list({ ...filter, cursor, limit });
          // A later `user` or entity lookup of a listed user in this operation costs no GET.
          for (const user of page.users) userLoader.prime(user.userId, user);
          return { ...page, items: page.users };
        },
        idOf: (user) => user.userId,
        mayReadAnother: mayReadAnotherPage,
      },
    });
  },

  invitation: async (_parent, { invitationId }, { invitationLoader }) => {
    assertNoFieldErrors(checkInvitationId(invitationId));
    return invitationLoader.load(invitationId);
  },

  invitations: async (
    _parent,
    { first, after, filter: input },
    { avara, invitationLoader, mayReadAnotherPage },
  ) => {
    const { filter, fieldErrors } = toInvitationListFilter(input);
    return loadConnection<AvaraInvitation, typeof filter>({
      list: 'invitations',
      first,
      after,
      filter,
      filterErrors: fieldErrors,
      source: {
        read: async (cursor, limit) => {
          const page = await avara.invitations.list({ ...filter, cursor, limit });
          for (const invitation of page.invitations) {
            invitationLoader.prime(invitation.invitationId, invitation);
          }
          return { ...page, items: page.invitations };
        },
        idOf: (invitation) => invitation.invitationId,
        mayReadAnother: mayReadAnotherPage,
      },
    });
  },
};
