/**
 * The first operations a newcomer runs: shown in the README, preloaded in Apollo Sandbox, and run
 * by the test suite against the demo API so that the front door cannot rot.
 */

/** The demo API's seeded user (the Avara reference's example). */
export const EXAMPLE_USER_ID = 'usr_1234567890abcdef1234567890abcdef';

export const EXAMPLE_QUERY = `query GetUser($userId: ID!) {
  user(userId: $userId) {
    userId
    firstName
    lastName
    email
    clinicRole
    clinicRoleLabel
    level
    lastLoginAt
  }
}`;

export const EXAMPLE_MUTATION = `mutation UpdateUser($userId: ID!, $input: UserPatchInput!) {
  updateUser(userId: $userId, input: $input) {
    userId
    clinicRole
    clinicRoleLabel
    phoneNumber
    middleName
    canManageStudies
  }
}`;

export const EXAMPLE_VARIABLES = {
  userId: EXAMPLE_USER_ID,
  input: { clinicRole: 'PHYSICIAN_ASSISTANT', phoneNumber: '5559876543', middleName: null },
};

/** A first page of a list: run it, then again with `after` set to `pageInfo.endCursor`. */
export const EXAMPLE_USERS_QUERY = `query ListUsers($first: Int, $after: String, $filter: UserFilter) {
  users(first: $first, after: $after, filter: $filter) {
    edges {
      cursor
      node {
        userId
        firstName
        lastName
        level
        invitedSource
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}`;

export const EXAMPLE_USERS_VARIABLES = { first: 2, filter: { level: 'MEMBER' } };

export const EXAMPLE_INVITE_MUTATION = `mutation InviteUser($invite: UserInviteInput!) {
  inviteUser(input: $invite) {
    userId
    email
    firstName
    lastName
    clinicRole
    level
    hasDashboardAccess
  }
}`;

export const EXAMPLE_INVITE_VARIABLES = {
  invite: {
    email: 'n.okoro@hospital.org',
    firstName: 'Nia',
    lastName: 'Okoro',
    clinicRole: 'RADIOLOGIST',
    level: 'MEMBER',
    canManageStudies: true,
    hasDashboardAccess: true,
  },
};

/** Everything Sandbox opens with: the operations above, and variables that fit each. */
export const EXAMPLE_DOCUMENT = [
  EXAMPLE_QUERY,
  EXAMPLE_MUTATION,
  EXAMPLE_USERS_QUERY,
  EXAMPLE_INVITE_MUTATION,
].join('\n\n');

export const EXAMPLE_DOCUMENT_VARIABLES = {
  ...EXAMPLE_VARIABLES,
  ...EXAMPLE_USERS_VARIABLES,
  ...EXAMPLE_INVITE_VARIABLES,
};
