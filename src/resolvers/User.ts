import type { UserResolvers } from '../__generated__/resolvers-types.js';
import { toClinicRole, toInvitedSource, toUserLevel } from '../graphql/enums.js';
import { assertNoFieldErrors, checkUserId } from '../graphql/validation.js';
import { capForLog, isFirstInRequest } from '../operation-log.js';

export const User: UserResolvers = {
  // Shares the request's loader with Query.user: one GET per distinct id across the operation.
  __resolveReference: async ({ userId }, { userLoader }) => {
    // A representation is untyped JSON (`_Any`): `["usr_…"]` would pass the pattern as a string.
    assertNoFieldErrors(checkUserId(typeof userId === 'string' ? userId : ''));
    return userLoader.load(userId);
  },

  clinicRole: ({ clinicRole, userId }, _args, context) => {
    if (clinicRole == null) return null;
    const role = toClinicRole(clinicRole);
    // Avara chose the text and the client how often it is resolved: once a request, capped.
    if (role === null && isFirstInRequest(context, 'unknown clinicRole')) {
      context.logger.warn(
        {
          requestId: context.requestId,
          userId,
          clinicRole: capForLog(clinicRole),
          clinicRoleLength: clinicRole.length,
        },
        'Avara sent a clinicRole this gateway does not know',
      );
    }
    return role;
  },
  clinicRoleLabel: ({ clinicRole }) => clinicRole ?? null,
  level: ({ level }) => toUserLevel(level),
  invitedSource: ({ invitedSource }) => toInvitedSource(invitedSource),
};
