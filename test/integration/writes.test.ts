/**
 * The writes of the users resource over real HTTP: inviteUser, revokeUserAccess, reactivateUser,
 * updateInvitation and revokeInvitation. Each: what was sent (exact body), what came back, the
 * contract's codes, validation with nothing sent, and the write retry rule.
 */
import { describe, expect, it } from '@jest/globals';
import { SEED_INVITATION_ID, SEED_USER_ID } from '../../src/demo/seed.js';
import {
  ALL_USER_FIELDS,
  expectUpstreamCalls,
  invitationPath,
  useHarness,
  userPath,
} from '../support/harness.js';

const harness = useHarness();

const INVITE = `mutation Invite($input: UserInviteInput!) { inviteUser(input: $input) { ${ALL_USER_FIELDS} } }`;
const REVOKE = `mutation Revoke($userId: ID!) { revokeUserAccess(userId: $userId) { success message user { userId firstName } } }`;
const REACTIVATE = `mutation Reactivate($userId: ID!) { reactivateUser(userId: $userId) { success message user { userId } } }`;
const UPDATE_INVITATION = `mutation UpdateInvitation($invitationId: ID!, $input: UserPatchInput!) {
  updateInvitation(invitationId: $invitationId, input: $input) {
    invitationId phoneNumber clinicRole clinicRoleLabel level hasDashboardAccess middleName updatedAt
  }
}`;
const REVOKE_INVITATION = `mutation RevokeInvitation($invitationId: ID, $userId: ID) {
  revokeInvitation(invitationId: $invitationId, userId: $userId) { success message }
}`;

const INVITE_INPUT = {
  email: 'n.okoro@hospital.org',
  firstName: 'Nia',
  lastName: 'Okoro',
  clinicRole: 'PHYSICIAN_ASSISTANT',
  level: 'MEMBER',
  canManageStudies: true,
  hasDashboardAccess: false,
};

const INVITE_BODY = {
  email: 'n.okoro@hospital.org',
  firstName: 'Nia',
  lastName: 'Okoro',
  clinicRole: 'Physician Assistant',
  level: 'member',
  canManageStudies: true,
  hasDashboardAccess: false,
};

const EXPIRED_INVITATION_ID = 'inv_7b9d1f3a5c6e4b8d0f2a4c6e8b0d2f4a';
const REVOKED_INVITATION_ID = 'inv_2d4f6b8a0c1e4f3a9b5d7c9e1f3a5b7d';
const ADMIN_USER_ID = 'usr_7a1e5d9c3b2f4e8a6d0c1b9e7f3a5d24';
const UNKNOWN_USER_ID = `usr_${'0'.repeat(32)}`;
const UNKNOWN_INVITATION_ID = `inv_${'0'.repeat(32)}`;

const codeOf = (response: { body: { errors?: { extensions: { code: string } }[] } }) =>
  response.body.errors?.[0]?.extensions.code;

describe('inviteUser', () => {
  it('POSTs exactly the invite body with wire values and returns the created user', async () => {
    const response = await harness().graphql({
      query: INVITE,
      variables: {
        input: {
          ...INVITE_INPUT,
          middleName: 'Adaeze',
          phoneNumber: '5550102030',
          suffix1: 'PA-C',
          suffix2: null,
        },
      },
    });

    expectUpstreamCalls(harness().demo, [
      {
        method: 'POST',
        path: '/v1/viewer/users',
        body: { ...INVITE_BODY, middleName: 'Adaeze', phoneNumber: '5550102030', suffix1: 'PA-C' },
        headers: { 'content-type': 'application/json' },
      },
    ]);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.inviteUser).toMatchObject({
      userId: expect.stringMatching(/^usr_[0-9a-f]{32}$/),
      email: 'n.okoro@hospital.org',
      middleName: 'Adaeze',
      suffix2: null,
      clinicRole: 'PHYSICIAN_ASSISTANT',
      level: 'MEMBER',
      invitedSource: 'API',
      lastLoginAt: null,
    });
  });

  it('is CONFLICT, in words about the email, when Avara answers 409 (the email is taken), unretried', async () => {
    const response = await harness().graphql({
      query: INVITE,
      variables: { input: { ...INVITE_INPUT, email: 'dr.johnson@hospital.org' } },
    });

    expect(response.body.errors[0]).toMatchObject({
      message: 'A user with this email address already exists',
      path: ['inviteUser'],
      extensions: { code: 'CONFLICT', upstream: { status: 409 } },
    });
    expect(harness().demo.requests).toHaveLength(1);
    expect(response.text).not.toContain('dr.johnson@hospital.org');
  });

  it('lists every offending field at once and sends nothing', async () => {
    const response = await harness().graphql({
      query: INVITE,
      variables: {
        input: {
          ...INVITE_INPUT,
          email: 'two@a.org three@b.org',
          firstName: '',
          lastName: 'x'.repeat(101),
          phoneNumber: '12345',
          level: 'ADMIN',
          hasDashboardAccess: false,
        },
      },
    });

    expect(response.body.errors[0].extensions).toEqual(
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        fieldErrors: ['email', 'firstName', 'lastName', 'phoneNumber', 'hasDashboardAccess'].map(
          (field) => ({
            field,
            message: expect.any(String),
          }),
        ),
      }),
    );
    expectUpstreamCalls(harness().demo, []);
  });

  it.each([
    ['email', 'a'.repeat(250) + '@b.org'],
    ['firstName', 'f'.repeat(101)],
    ['middleName', 'm'.repeat(101)],
    ['lastName', 'l'.repeat(101)],
    ['suffix1', 's'.repeat(101)],
    ['suffix2', 's'.repeat(101)],
    ['phoneNumber', '1'.repeat(16)],
  ])('refuses a %s over its maximum length and sends nothing', async (field, value) => {
    const response = await harness().graphql({
      query: INVITE,
      variables: { input: { ...INVITE_INPUT, [field]: value } },
    });

    expect(response.body.errors[0].extensions.fieldErrors).toEqual([
      { field, message: expect.any(String) },
    ]);
    expectUpstreamCalls(harness().demo, []);
  });

  describe('the write retry rule: repeated only where Avara cannot have applied it', () => {
    it.each([
      ['500', { status: 500 }, 'UPSTREAM_ERROR'],
      ['502', { status: 502 }, 'UPSTREAM_UNAVAILABLE'],
      ['504', { status: 504 }, 'UPSTREAM_UNAVAILABLE'],
      ['a connection dropped after the request was sent', { drop: true }, 'UPSTREAM_UNAVAILABLE'],
    ])('does not repeat the POST after %s', async (_case, fault, code) => {
      harness().demo.inject(fault, { method: 'POST' });
      const response = await harness().graphql({
        query: INVITE,
        variables: { input: INVITE_INPUT },
      });

      expect(codeOf(response)).toBe(code);
      expectUpstreamCalls(harness().demo, [
        { method: 'POST', path: '/v1/viewer/users', body: INVITE_BODY },
      ]);
    });

    it.each([
      ['503', { status: 503 }],
      ['429', { status: 429 }],
      ['408', { status: 408 }],
      ['x-should-retry: true on a 500', { status: 500, headers: { 'x-should-retry': 'true' } }],
    ])('repeats the POST after %s, once Avara did not apply it', async (_case, fault) => {
      harness().demo.inject(fault, { method: 'POST' });
      const response = await harness().graphql({
        query: INVITE,
        variables: { input: INVITE_INPUT },
      });

      expect(response.body.errors).toBeUndefined();
      expectUpstreamCalls(harness().demo, [
        { method: 'POST', path: '/v1/viewer/users', body: INVITE_BODY },
        { method: 'POST', path: '/v1/viewer/users', body: INVITE_BODY },
      ]);
    });
  });
});

describe('revokeUserAccess and reactivateUser', () => {
  it('revokes, then reads the user afresh through the loader, and reactivates', async () => {
    const revoked = await harness().graphql({
      query: REVOKE,
      variables: { userId: ADMIN_USER_ID },
    });
    const reactivated = await harness().graphql({
      query: REACTIVATE,
      variables: { userId: ADMIN_USER_ID },
    });

    expect(revoked.body).toStrictEqual({
      data: {
        revokeUserAccess: {
          success: true,
          message: 'User access revoked successfully',
          user: { userId: ADMIN_USER_ID, firstName: 'Priya' },
        },
      },
    });
    expect(reactivated.body).toStrictEqual({
      data: {
        reactivateUser: {
          success: true,
          message: 'User reactivated successfully',
          user: { userId: ADMIN_USER_ID },
        },
      },
    });
    expectUpstreamCalls(harness().demo, [
      { method: 'POST', path: '/v1/viewer/users/revoke-access', body: { userId: ADMIN_USER_ID } },
      { method: 'GET', path: userPath(ADMIN_USER_ID) },
      { method: 'POST', path: '/v1/viewer/users/reactivate', body: { userId: ADMIN_USER_ID } },
      { method: 'GET', path: userPath(ADMIN_USER_ID) },
    ]);
  });

  it('shows, in the same operation, the user as an earlier write left it (the loader was cleared, not stale)', async () => {
    const response = await harness().graphql({
      query: `mutation ($userId: ID!) {
        before: updateUser(userId: $userId, input: { firstName: "Pria" }) { firstName }
        revokeUserAccess(userId: $userId) { user { firstName } }
      }`,
      variables: { userId: ADMIN_USER_ID },
    });

    expect(response.body.data).toEqual({
      before: { firstName: 'Pria' },
      revokeUserAccess: { user: { firstName: 'Pria' } },
    });
    expect(harness().demo.requests.map(({ method }) => method)).toEqual(['PATCH', 'POST', 'GET']);
  });

  it('does not read the user when it is not selected', async () => {
    await harness().graphql({
      query: `mutation { revokeUserAccess(userId: "${ADMIN_USER_ID}") { success } }`,
    });

    expect(harness().demo.requests.map(({ method }) => method)).toEqual(['POST']);
  });

  it.each([
    ['revokeUserAccess', REVOKE],
    ['reactivateUser', REACTIVATE],
  ])('%s is NOT_FOUND for a user Avara does not know', async (field, query) => {
    const response = await harness().graphql({ query, variables: { userId: UNKNOWN_USER_ID } });

    expect(response.body.errors[0]).toMatchObject({
      message: 'No user has this userId',
      path: [field],
      extensions: { code: 'NOT_FOUND', upstream: { status: 404 } },
    });
  });

  it('keeps Avara’s message when it refuses (revoking twice, reactivating an active user)', async () => {
    await harness().graphql({ query: REVOKE, variables: { userId: ADMIN_USER_ID } });
    const twice = await harness().graphql({ query: REVOKE, variables: { userId: ADMIN_USER_ID } });
    const active = await harness().graphql({
      query: REACTIVATE,
      variables: { userId: SEED_USER_ID },
    });

    expect(twice.body.errors[0]).toMatchObject({
      message: 'Avara rejected the input: User access is already revoked',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(active.body.errors[0].message).toBe('Avara rejected the input: User is not deactivated');
  });

  it.each([
    ['revokeUserAccess', REVOKE],
    ['reactivateUser', REACTIVATE],
  ])('%s refuses a malformed userId and sends nothing', async (_field, query) => {
    const response = await harness().graphql({ query, variables: { userId: 'usr_../reactivate' } });

    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ field: 'userId', message: expect.any(String) }],
    });
    expectUpstreamCalls(harness().demo, []);
  });

  it('does not repeat a revoke after a 500, and the answer says it may have happened', async () => {
    harness().demo.inject({ status: 500 }, { method: 'POST' });
    const response = await harness().graphql({
      query: REVOKE,
      variables: { userId: ADMIN_USER_ID },
    });

    expect(codeOf(response)).toBe('UPSTREAM_ERROR');
    expectUpstreamCalls(harness().demo, [
      { method: 'POST', path: '/v1/viewer/users/revoke-access', body: { userId: ADMIN_USER_ID } },
    ]);
  });
});

describe('updateInvitation', () => {
  it('PATCHes exactly the patch body with wire values and returns the invitation as changed', async () => {
    const response = await harness().graphql({
      query: UPDATE_INVITATION,
      variables: {
        invitationId: SEED_INVITATION_ID,
        input: {
          phoneNumber: null,
          clinicRole: 'NURSE_PRACTITIONER',
          level: 'ADMIN',
          middleName: null,
        },
      },
    });

    expectUpstreamCalls(harness().demo, [
      {
        method: 'PATCH',
        path: invitationPath(SEED_INVITATION_ID),
        body: {
          clinicRole: 'Nurse Practitioner',
          level: 'admin',
          middleName: null,
          phoneNumber: null,
        },
      },
    ]);
    expect(response.body.data.updateInvitation).toMatchObject({
      invitationId: SEED_INVITATION_ID,
      phoneNumber: null,
      middleName: null,
      clinicRole: 'NURSE_PRACTITIONER',
      clinicRoleLabel: 'Nurse Practitioner',
      level: 'ADMIN',
    });
  });

  it('leaves the invitation as Avara has it: a later read shows both the change and the revoke', async () => {
    const response = await harness().graphql({
      query: `mutation ($id: ID!) {
        updateInvitation(invitationId: $id, input: { suffix1: "DO" }) { invitationId }
        revokeInvitation(invitationId: $id) { success }
      }`,
      variables: { id: SEED_INVITATION_ID },
    });
    const after = await harness().graphql({
      query: `query ($id: ID!) { invitation(invitationId: $id) { suffix1 status } }`,
      variables: { id: SEED_INVITATION_ID },
    });

    expect(response.body.data.revokeInvitation.success).toBe(true);
    expect(after.body.data.invitation).toEqual({ suffix1: 'DO', status: 'REVOKED' });
  });

  it.each([
    ['expired', EXPIRED_INVITATION_ID],
    ['revoked', REVOKED_INVITATION_ID],
  ])(
    'keeps Avara’s refusal to change an invitation that is %s as BAD_USER_INPUT',
    async (_case, invitationId) => {
      const response = await harness().graphql({
        query: UPDATE_INVITATION,
        variables: { invitationId, input: { suffix1: 'DO' } },
      });

      expect(response.body.errors[0]).toMatchObject({
        message: expect.stringMatching(/^Avara rejected the input: Only a pending invitation/),
        extensions: { code: 'BAD_USER_INPUT', upstream: { status: 422 } },
      });
    },
  );

  it('is NOT_FOUND, in words about the invitation, for an invitation Avara does not know', async () => {
    const response = await harness().graphql({
      query: UPDATE_INVITATION,
      variables: { invitationId: UNKNOWN_INVITATION_ID, input: { suffix1: 'DO' } },
    });

    expect(response.body.errors[0]).toMatchObject({
      message: 'No invitation has this invitationId',
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('lists every problem of id and input at once and sends nothing', async () => {
    const response = await harness().graphql({
      query: UPDATE_INVITATION,
      variables: {
        invitationId: 'inv_x',
        input: { firstName: null, phoneNumber: '1', suffix2: 'z'.repeat(101) },
      },
    });

    expect(
      response.body.errors[0].extensions.fieldErrors.map(({ field }: { field: string }) => field),
    ).toEqual(['invitationId', 'firstName', 'phoneNumber', 'suffix2']);
    expectUpstreamCalls(harness().demo, []);
  });

  it('does not repeat the PATCH after a timeout-like 504', async () => {
    harness().demo.inject({ status: 504 }, { method: 'PATCH' });
    const response = await harness().graphql({
      query: UPDATE_INVITATION,
      variables: { invitationId: SEED_INVITATION_ID, input: { suffix1: 'DO' } },
    });

    expect(codeOf(response)).toBe('UPSTREAM_UNAVAILABLE');
    expect(harness().demo.requests).toHaveLength(1);
  });
});

describe('revokeInvitation', () => {
  it.each([
    ['by invitationId', { invitationId: SEED_INVITATION_ID }],
    ['by the invitee’s userId', { userId: 'usr_4d7e1a9b3c6f4e2a8d5b0c9e7f1a3b62' }],
    [
      'by both',
      { invitationId: SEED_INVITATION_ID, userId: 'usr_4d7e1a9b3c6f4e2a8d5b0c9e7f1a3b62' },
    ],
  ])('revokes %s, sending exactly the ids given', async (_case, variables) => {
    const response = await harness().graphql({ query: REVOKE_INVITATION, variables });

    expect(response.body).toStrictEqual({
      data: { revokeInvitation: { success: true, message: 'Invitation revoked successfully' } },
    });
    expectUpstreamCalls(harness().demo, [
      { method: 'POST', path: '/v1/viewer/users/invitations/revoke', body: variables },
    ]);
  });

  it('needs at least one id: both fields named, nothing sent', async () => {
    const response = await harness().graphql({ query: REVOKE_INVITATION, variables: {} });

    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [
        { field: 'invitationId', message: expect.any(String) },
        { field: 'userId', message: expect.any(String) },
      ],
    });
    expectUpstreamCalls(harness().demo, []);
  });

  it('refuses malformed ids, both at once, and sends nothing', async () => {
    const response = await harness().graphql({
      query: REVOKE_INVITATION,
      variables: { invitationId: 'x', userId: 'y' },
    });

    expect(
      response.body.errors[0].extensions.fieldErrors.map(({ field }: { field: string }) => field),
    ).toEqual(['invitationId', 'userId']);
    expectUpstreamCalls(harness().demo, []);
  });

  it('is NOT_FOUND, in words about the invitation, when no invitation matches', async () => {
    const response = await harness().graphql({
      query: REVOKE_INVITATION,
      variables: { invitationId: UNKNOWN_INVITATION_ID },
    });

    expect(response.body.errors[0]).toMatchObject({
      message: 'No invitation matches the given invitationId or userId',
      extensions: { code: 'NOT_FOUND' },
    });
  });
});
