import type { UserResolvers } from '../__generated__/resolvers-types.js';
import { toInvitedSource, toUserLevel } from '../graphql/enums.js';
import { assertNoFieldErrors, checkUserId } from '../graphql/validation.js';
import { resolveClinicRole } from './clinic-role.js';

export const User: UserResolvers = {
  // Shares the request's loader with Query.user: one GET per distinct id across the operation.
  __resolveReference: async ({ userId }, { userLoader }) => {
    assertNoFieldErrors(checkUserId(userId));
    return userLoader.load(userId);
  },

  clinicRole: ({ clinicRole, userId }, _args, context) =>
    resolveClinicRole(clinicRole, { userId }, context),
  clinicRoleLabel: ({ clinicRole }) => clinicRole ?? null,
  level: ({ level }) => toUserLevel(level),
  invitedSource: ({ invitedSource }) => toInvitedSource(invitedSource),
};
