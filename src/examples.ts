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
