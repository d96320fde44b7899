/**
 * `invitation` and `invitations` over real HTTP against the demo API.
 */
import { describe, expect, it } from '@jest/globals';
import { DEMO_INVITATIONS, SEED_INVITATION_ID } from '../../src/demo/seed.js';
import { makeInvitations } from '../support/fixtures.js';
import { expectUpstreamCalls, invitationPath, useHarness } from '../support/harness.js';

export const ALL_INVITATION_FIELDS = `invitationId userId email firstName middleName lastName suffix1
  suffix2 phoneNumber clinicRole clinicRoleLabel level canManageStudies hasDashboardAccess status
  invitedSource clinicId inviterId invitedByApiKeyId expiry createdAt updatedAt`;

const INVITATION = `query Invitation($invitationId: ID!) {
  invitation(invitationId: $invitationId) { ${ALL_INVITATION_FIELDS} }
}`;

const INVITATIONS = `query Invitations($first: Int, $after: String, $filter: InvitationFilter) {
  invitations(first: $first, after: $after, filter: $filter) {
    edges { cursor node { invitationId status } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const harness = useHarness();

const API_INVITATION_ID = 'inv_8a2b4c6d8e0f4a1b9c3d5e7f9a1b3c5d';

describe('invitation', () => {
  it('reads one invitation and maps every field, enums to GraphQL names', async () => {
    const response = await harness().graphql({
      query: INVITATION,
      variables: { invitationId: SEED_INVITATION_ID },
    });

    expectUpstreamCalls(harness().demo, [
      { method: 'GET', path: invitationPath(SEED_INVITATION_ID) },
    ]);
    expect(response.body).toStrictEqual({
      data: {
        invitation: {
          invitationId: SEED_INVITATION_ID,
          userId: 'usr_4d7e1a9b3c6f4e2a8d5b0c9e7f1a3b62',
          email: 'e.petrova@hospital.org',
          firstName: 'Elena',
          middleName: 'Ivanovna',
          lastName: 'Petrova',
          suffix1: 'MD',
          suffix2: null,
          phoneNumber: '5553217654',
          clinicRole: 'RADIOLOGIST',
          clinicRoleLabel: 'Radiologist',
          level: 'MEMBER',
          canManageStudies: true,
          hasDashboardAccess: true,
          status: 'SENT',
          invitedSource: 'DASHBOARD',
          clinicId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
          inviterId: 'usr_0f3c9a2e7b814d6a9c5e2b7d1a8f4c60',
          invitedByApiKeyId: null,
          expiry: '2099-01-01T00:00:00Z',
          createdAt: '2024-03-01T10:00:00Z',
          updatedAt: '2024-03-01T10:00:00Z',
        },
      },
    });
  });

  it('gives a null inviterId and the API key id of an invitation sent through the API, and a null expiry', async () => {
    const response = await harness().graphql({
      query: INVITATION,
      variables: { invitationId: API_INVITATION_ID },
    });

    expect(response.body.data.invitation).toMatchObject({
      inviterId: null,
      invitedByApiKeyId: '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d',
      expiry: null,
      invitedSource: 'API',
      level: 'ADMIN',
    });
  });

  it('is null, with no error, when Avara answers 404', async () => {
    const invitationId = `inv_${'0'.repeat(32)}`;
    const response = await harness().graphql({ query: INVITATION, variables: { invitationId } });

    expect(response.body).toStrictEqual({ data: { invitation: null } });
    expectUpstreamCalls(harness().demo, [{ method: 'GET', path: invitationPath(invitationId) }]);
  });

  it.each([
    ['a user id', 'usr_1234567890abcdef1234567890abcdef'],
    ['uppercase hex', `inv_${'A'.repeat(32)}`],
    ['a path traversal', 'inv_../../users'],
    ['37 characters', `inv_${'a'.repeat(33)}`],
  ])('refuses %s with BAD_USER_INPUT and sends nothing', async (_case, invitationId) => {
    const response = await harness().graphql({ query: INVITATION, variables: { invitationId } });

    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ field: 'invitationId', message: expect.any(String) }],
    });
    expectUpstreamCalls(harness().demo, []);
  });

  it('fails with UPSTREAM_ERROR when Avara answers about another invitation', async () => {
    harness().demo.inject({ status: 200, body: DEMO_INVITATIONS[1] });
    const response = await harness().graphql({
      query: INVITATION,
      variables: { invitationId: SEED_INVITATION_ID },
    });

    expect(response.body.data.invitation).toBeNull();
    expect(response.body.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
  });

  describe('clinicRole drift', () => {
    it('gives a null clinicRole and the label verbatim for a role the gateway does not know, with no error', async () => {
      harness().demo.inject({ clinicRole: 'Chief Wellness Officer' });
      const response = await harness().graphql({
        query: INVITATION,
        variables: { invitationId: SEED_INVITATION_ID },
      });

      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.invitation).toMatchObject({
        clinicRole: null,
        clinicRoleLabel: 'Chief Wellness Officer',
        email: 'e.petrova@hospital.org',
      });
      expect(harness().logs.join('\n')).toContain(SEED_INVITATION_ID);
    });

    it('caps the logged label of an unknown role at 100 characters', async () => {
      const label = `Role ${'x'.repeat(5000)}`;
      harness().demo.inject({ clinicRole: label });
      harness().logs.length = 0;
      const response = await harness().graphql({
        query: INVITATION,
        variables: { invitationId: SEED_INVITATION_ID },
      });

      expect(response.body.data.invitation.clinicRoleLabel).toBe(label);
      const warning = harness().logs.find((line) =>
        line.includes('clinicRole this gateway does not know'),
      );
      expect(warning).toBeDefined();
      expect(warning).toContain(`${label.slice(0, 100)}…`);
      expect(warning).not.toContain(label.slice(0, 101));
    });
  });
});

describe('invitations', () => {
  it('lists every seeded invitation, each status mapped', async () => {
    const response = await harness().graphql({ query: INVITATIONS });

    expectUpstreamCalls(harness().demo, [
      { method: 'GET', path: '/v1/viewer/users/invitations', query: { limit: '20' } },
    ]);
    expect(
      response.body.data.invitations.edges.map(
        ({ node }: { node: { status: string } }) => node.status,
      ),
    ).toEqual(['SENT', 'SENT', 'ACCEPTED', 'REJECTED', 'REVOKED', 'SENT']);
  });

  it('sends every filter as its query parameter: statuses comma-joined in Avara’s order, wire values', async () => {
    const response = await harness().graphql({
      query: INVITATIONS,
      variables: {
        first: 10,
        filter: {
          status: ['REVOKED', 'SENT'],
          expired: 'NOT_EXPIRED',
          startDate: '2024-01-01',
          endDate: '2024-03-31',
          userId: 'usr_8e0a2c4e6b8d4f1a9c3e5b7d9f1b3d5f',
        },
      },
    });

    expectUpstreamCalls(harness().demo, [
      {
        method: 'GET',
        path: '/v1/viewer/users/invitations',
        query: {
          limit: '10',
          startDate: '2024-01-01',
          endDate: '2024-03-31',
          expired: 'not-expired',
          status: 'sent,revoked',
          userId: 'usr_8e0a2c4e6b8d4f1a9c3e5b7d9f1b3d5f',
        },
      },
    ]);
    expect(harness().demo.requests[0]?.path).toContain('status=sent,revoked');
    expect(response.body.data.invitations.edges).toEqual([
      {
        cursor: expect.any(String),
        node: { invitationId: 'inv_2d4f6b8a0c1e4f3a9b5d7c9e1f3a5b7d', status: 'REVOKED' },
      },
    ]);
  });

  it.each([
    [
      'EXPIRED',
      [
        'inv_1c3e5a7b9d0f4c2e8a4b6d8f0a2c4e6b',
        'inv_9f7d5b3a1e0c4d8b9a6c4e2f0d8b6a4c',
        'inv_7b9d1f3a5c6e4b8d0f2a4c6e8b0d2f4a',
      ],
    ],
    [
      'NOT_EXPIRED',
      [SEED_INVITATION_ID, API_INVITATION_ID, 'inv_2d4f6b8a0c1e4f3a9b5d7c9e1f3a5b7d'],
    ],
  ])('filters by expired: %s', async (expired, expectedIds) => {
    const response = await harness().graphql({
      query: INVITATIONS,
      variables: { filter: { expired } },
    });

    expect(
      response.body.data.invitations.edges.map(
        ({ node }: { node: { invitationId: string } }) => node.invitationId,
      ),
    ).toEqual(expectedIds);
  });

  it('resumes after any edge, and a cursor of another status filter is refused with nothing sent', async () => {
    harness().demo.replaceData({ invitations: makeInvitations(7) });
    const first = await harness().graphql({ query: INVITATIONS, variables: { first: 3 } });
    const edges = first.body.data.invitations.edges as { cursor: string }[];
    const next = await harness().graphql({
      query: INVITATIONS,
      variables: { first: 3, after: edges[0]?.cursor },
    });

    expect(
      next.body.data.invitations.edges.map(
        ({ node }: { node: { invitationId: string } }) => node.invitationId,
      ),
    ).toEqual(
      makeInvitations(7)
        .slice(1, 4)
        .map(({ invitationId }) => invitationId),
    );
    harness().demo.requests.length = 0;
    const refused = await harness().graphql({
      query: INVITATIONS,
      variables: { first: 3, after: edges[0]?.cursor, filter: { status: ['SENT'] } },
    });
    expect(refused.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ field: 'after', message: expect.stringMatching(/another filter/) }],
    });
    expectUpstreamCalls(harness().demo, []);
  });

  it.each([
    ['a day that does not exist', { startDate: '2024-02-30' }, ['startDate']],
    ['a date-time instead of a day', { endDate: '2024-01-01T00:00:00Z' }, ['endDate']],
    [
      'an endDate before the startDate',
      { startDate: '2024-03-01', endDate: '2024-02-01' },
      ['endDate'],
    ],
    ['an empty status list', { status: [] }, ['status']],
    ['a malformed userId', { userId: 'usr_nope' }, ['userId']],
  ])('refuses %s with BAD_USER_INPUT and sends nothing', async (_case, filter, fields) => {
    const response = await harness().graphql({ query: INVITATIONS, variables: { filter } });

    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: fields.map((field) => ({ field, message: expect.any(String) })),
    });
    expectUpstreamCalls(harness().demo, []);
  });

  it('refuses a Date that is not a string before resolving, with nothing sent', async () => {
    const response = await harness().graphql({
      query: INVITATIONS,
      variables: { filter: { startDate: 20240101 } },
    });

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expectUpstreamCalls(harness().demo, []);
  });
});

describe('Invitation entities (_entities)', () => {
  const ENTITIES = `query ($r: [_Any!]!) {
    _entities(representations: $r) { ... on Invitation { invitationId status clinicRole } }
  }`;

  it('resolves each representation through one loader: a duplicate is one GET, an unknown id is null', async () => {
    const unknown = `inv_${'0'.repeat(32)}`;
    const response = await harness().graphql({
      query: ENTITIES,
      variables: {
        r: [SEED_INVITATION_ID, unknown, SEED_INVITATION_ID].map((invitationId) => ({
          __typename: 'Invitation',
          invitationId,
        })),
      },
    });

    expect(response.body).toStrictEqual({
      data: {
        _entities: [
          { invitationId: SEED_INVITATION_ID, status: 'SENT', clinicRole: 'RADIOLOGIST' },
          null,
          { invitationId: SEED_INVITATION_ID, status: 'SENT', clinicRole: 'RADIOLOGIST' },
        ],
      },
    });
    expectUpstreamCalls(harness().demo, [
      { method: 'GET', path: invitationPath(SEED_INVITATION_ID) },
      { method: 'GET', path: invitationPath(unknown) },
    ]);
  });

  it('refuses a malformed invitationId in a representation, for that entity alone, with nothing sent', async () => {
    const response = await harness().graphql({
      query: ENTITIES,
      variables: { r: [{ __typename: 'Invitation', invitationId: '../users' }] },
    });

    expect(response.body.data._entities).toEqual([null]);
    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ field: 'invitationId', message: expect.any(String) }],
    });
    expectUpstreamCalls(harness().demo, []);
  });
});
