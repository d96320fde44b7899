/**
 * Apollo Client cache setup for the Avara GraphQL gateway: `new InMemoryCache({ typePolicies })`.
 *
 * - `User` and `Invitation` have no `id` field; they are identified by `userId` and
 *   `invitationId` (their federation `@key`s). The cache then keeps one entry per user and per
 *   invitation, so what a mutation returns (`updateUser`, `inviteUser`, `updateInvitation`, the
 *   revoke/reactivate payloads' `user`) updates every cached query and list row that shows it,
 *   with no refetch. Select `userId` / `invitationId` wherever you select one.
 * - `users` and `invitations` are Relay connections: `relayStylePagination(['filter'])` keeps one
 *   list per filter and appends what `fetchMore({ variables: { after: endCursor } })` brings,
 *   so a "load more" button or an infinite table needs no merge code of its own. `first` and
 *   `after` are left out of the key on purpose: pages of one filter form one list.
 */
import type { TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

export const typePolicies: TypePolicies = {
  User: { keyFields: ['userId'] },
  Invitation: { keyFields: ['invitationId'] },
  Query: {
    fields: {
      users: relayStylePagination(['filter']),
      invitations: relayStylePagination(['filter']),
    },
  },
};
