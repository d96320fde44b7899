/**
 * An Avara answer whose user or invitation id is not of the documented shape (`usr_` / `inv_` +
 * 32 lowercase hex) is not the documented JSON. Listed, such an id went into an edge cursor that
 * the gateway itself then refused as "not a cursor this gateway returned": a BAD_USER_INPUT
 * blaming the client for the upstream's fault, and a list no client could page past.
 */
import { describe, expect, it } from '@jest/globals';
import { makeInvitations, makeUsers } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';

const harness = useHarness();

const USERS = `query($first: Int, $after: String) {
  users(first: $first, after: $after) { nodes { userId } pageInfo { endCursor } }
}`;
const INVITATIONS = `query($first: Int) {
  invitations(first: $first) { nodes { invitationId } pageInfo { endCursor } }
}`;
const INVITE = `mutation($input: UserInviteInput!) { inviteUser(input: $input) { userId } }`;

const codeOf = (body: { errors?: { extensions: { code: string } }[] }) =>
  body.errors?.map(({ extensions }) => extensions.code);

describe('ids Avara answers with', () => {
  it.each([
    ['in upper case', 'USR_0123456789ABCDEF0123456789ABCDEF'],
    ['of another format', 'legacy-42'],
    ['that is too long', `usr_${'a'.repeat(500)}`],
  ])(
    'a users page holding an id %s fails with UPSTREAM_ERROR, not a cursor the gateway refuses',
    async (_case, userId) => {
      const [a, b] = makeUsers(2);
      harness().demo.inject(
        { status: 200, body: { users: [b, { ...a, userId }], hasMore: false } },
        { method: 'GET', pathPrefix: '/v1/viewer/users?' },
      );

      const response = await harness().graphql({ query: USERS, variables: { first: 5 } });

      expect(codeOf(response.body)).toEqual(['UPSTREAM_ERROR']);
      expect(response.body.data).toBeNull();
      // The refused page's personal data reaches no log line.
      const logs = harness().logs.join('');
      for (const listed of [a, b]) {
        expect(logs).not.toContain(listed?.email);
        expect(logs).not.toContain(listed?.lastName);
      }
    },
  );

  it('an invitations page holding a malformed invitationId fails with UPSTREAM_ERROR', async () => {
    const [a] = makeInvitations(1);
    harness().demo.inject(
      { status: 200, body: { invitations: [{ ...a, invitationId: 'inv_NOPE' }], hasMore: false } },
      { method: 'GET', pathPrefix: '/v1/viewer/users/invitations?' },
    );

    const response = await harness().graphql({ query: INVITATIONS, variables: { first: 5 } });

    expect(codeOf(response.body)).toEqual(['UPSTREAM_ERROR']);
  });

  it('every edge cursor of a well-formed page is taken back', async () => {
    const response = await harness().graphql({ query: USERS, variables: { first: 1 } });
    const after = response.body.data.users.pageInfo.endCursor as string;

    const next = await harness().graphql({ query: USERS, variables: { first: 1, after } });

    expect(next.body.errors).toBeUndefined();
    expect(next.body.data.users.nodes).toHaveLength(1);
  });

  it('an invite answered with a malformed userId fails with UPSTREAM_ERROR, sent once', async () => {
    const [created] = makeUsers(1);
    harness().demo.inject(
      { status: 200, body: { ...created, userId: 'usr_' } },
      { method: 'POST', pathPrefix: '/v1/viewer/users' },
    );

    const response = await harness().graphql({
      query: INVITE,
      variables: {
        input: {
          email: 'new.person@example.org',
          firstName: 'New',
          lastName: 'Person',
          clinicRole: 'DOCTOR',
          level: 'MEMBER',
          canManageStudies: false,
          hasDashboardAccess: false,
        },
      },
    });

    expect(codeOf(response.body)).toEqual(['UPSTREAM_ERROR']);
    expect(harness().demo.requests.map(({ method }) => method)).toEqual(['POST']);
  });
});
