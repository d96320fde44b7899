import type { InvitationResolvers } from '../__generated__/resolvers-types.js';
import { toInvitationStatus, toInvitedSource, toUserLevel } from '../graphql/enums.js';
import { assertNoFieldErrors, checkInvitationId } from '../graphql/validation.js';
import { resolveClinicRole } from './clinic-role.js';

export const Invitation: InvitationResolvers = {
  // Shares the request's loader with Query.invitation: one GET per distinct id.
  __resolveReference: async ({ invitationId }, { invitationLoader }) => {
    assertNoFieldErrors(checkInvitationId(invitationId));
    return invitationLoader.load(invitationId);
  },

  clinicRole: ({ clinicRole, invitationId }, _args, context) =>
    resolveClinicRole(clinicRole, { invitationId }, context),
  clinicRoleLabel: ({ clinicRole }) => clinicRole ?? null,
  level: ({ level }) => toUserLevel(level),
  status: ({ status }) => toInvitationStatus(status),
  invitedSource: ({ invitedSource }) => toInvitedSource(invitedSource),
  inviterId: ({ inviterId }) => inviterId ?? null,
  invitedByApiKeyId: ({ invitedByApiKeyId }) => invitedByApiKeyId ?? null,
};
