import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import type { AvaraInvitationRevokeParams } from '../avara/types.js';
import { toUserInviteParams } from '../graphql/user-invite.js';
import { toUserUpdateParams } from '../graphql/user-patch.js';
import {
  assertNoFieldErrors,
  checkInvitationId,
  checkUserId,
  InputError,
} from '../graphql/validation.js';

// Every write checks all of its input before anything is sent, then leaves the request's loaders
// as Avara now is: primed with the answer, or cleared so that a later read asks again.
export const Mutation: MutationResolvers = {
  updateUser: async (_parent, { userId, input }, { avara, userLoader }) => {
    const { params, fieldErrors } = toUserUpdateParams(input);
    assertNoFieldErrors([...checkUserId(userId), ...fieldErrors]);
    const user = await avara.users.update(userId, params);
    userLoader.clear(userId).prime(userId, user);
    return user;
  },

  inviteUser: async (_parent, { input }, { avara, userLoader }) => {
    const { params, fieldErrors } = toUserInviteParams(input);
    assertNoFieldErrors(fieldErrors);
    const user = await avara.users.invite(params);
    userLoader.clear(user.userId).prime(user.userId, user);
    return user;
  },

  revokeUserAccess: async (_parent, { userId }, { avara, userLoader }) => {
    assertNoFieldErrors(checkUserId(userId));
    try {
      const { success, message } = await avara.users.revokeAccess(userId);
      return { success, message: message ?? null, userId };
    } finally {
      // Even a failed call may have changed the user; `user` reads it afresh.
      userLoader.clear(userId);
    }
  },

  reactivateUser: async (_parent, { userId }, { avara, userLoader }) => {
    assertNoFieldErrors(checkUserId(userId));
    try {
      const { success, message } = await avara.users.reactivate(userId);
      return { success, message: message ?? null, userId };
    } finally {
      userLoader.clear(userId);
    }
  },

  updateInvitation: async (_parent, { invitationId, input }, { avara, invitationLoader }) => {
    const { params, fieldErrors } = toUserUpdateParams(input);
    assertNoFieldErrors([...checkInvitationId(invitationId), ...fieldErrors]);
    const invitation = await avara.invitations.update(invitationId, params);
    invitationLoader.clear(invitationId).prime(invitationId, invitation);
    return invitation;
  },

  revokeInvitation: async (_parent, { invitationId, userId }, { avara, invitationLoader }) => {
    const params: AvaraInvitationRevokeParams | undefined =
      invitationId != null
        ? { invitationId, ...(userId != null && { userId }) }
        : userId != null
          ? { userId }
          : undefined;
    if (params === undefined) {
      const message = 'give invitationId, userId or both';
      throw new InputError([
        { field: 'invitationId', message },
        { field: 'userId', message },
      ]);
    }
    assertNoFieldErrors([
      ...(invitationId != null ? checkInvitationId(invitationId) : []),
      ...(userId != null ? checkUserId(userId) : []),
    ]);
    try {
      const { success, message } = await avara.invitations.revoke(params);
      return { success, message: message ?? null };
    } finally {
      // Named by userId, the invitation's id is not known here: forget every cached invitation.
      if (invitationId != null) invitationLoader.clear(invitationId);
      else invitationLoader.clearAll();
    }
  },
};
