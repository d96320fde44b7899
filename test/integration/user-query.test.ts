import { describe, expect, it } from '@jest/globals';
import { DEMO_USERS, SEED_USER_ID } from '../../src/demo/seed.js';
import { ALL_USER_FIELDS, expectUpstreamCalls, useHarness, userPath } from '../support/harness.js';

const GET_USER = `query GetUser($userId: ID!) {
  user(userId: $userId) {
    ${ALL_USER_FIELDS}
  }
}`;

const harness = useHarness();

const getUser = (userId: string) => harness().graphql({ query: GET_USER, variables: { userId } });

describe('user', () => {
  it('reads the user with one GET and maps wire enums to GraphQL enums', async () => {
    const response = await getUser(SEED_USER_ID);

    expectUpstreamCalls(harness().demo, [{ method: 'GET', path: userPath(SEED_USER_ID) }]);
    expect(response.body).toStrictEqual({
      data: {
        user: {
          userId: SEED_USER_ID,
          email: 'dr.johnson@hospital.org',
          firstName: 'Sarah',
          middleName: 'Marie',
          lastName: 'Johnson',
          suffix1: 'MD',
          suffix2: 'FACR',
          phoneNumber: '5551234567',
          clinicRole: 'RADIOLOGIST',
          clinicRoleLabel: 'Radiologist',
          level: 'MEMBER',
          canManageStudies: true,
          hasDashboardAccess: true,
          invitedSource: 'API',
          createdAt: '2024-01-15T10:00:00Z',
          lastLoginAt: '2024-03-15T09:00:00Z',
        },
      },
    });
  });

  it('gives null for optional fields Avara leaves out', async () => {
    const sparse = DEMO_USERS.find((user) => user.middleName === undefined);
    if (!sparse) throw new Error('the demo seed needs a user without a middle name');

    const response = await getUser(sparse.userId);

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.user.middleName).toBeNull();
  });

  it('is null, with no error, when Avara answers 404', async () => {
    const unknown = 'usr_ffffffffffffffffffffffffffffffff';

    const response = await getUser(unknown);

    expect(response.body).toStrictEqual({ data: { user: null } });
    expectUpstreamCalls(harness().demo, [{ method: 'GET', path: userPath(unknown) }]);
  });

  it('refuses a malformed userId with BAD_USER_INPUT and sends nothing', async () => {
    const response = await getUser('usr_../../admin');

    expect(response.body.errors[0].extensions).toStrictEqual({
      requestId: expect.any(String),
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ field: 'userId', message: expect.any(String) }],
    });
    expectUpstreamCalls(harness().demo, []);
  });

  describe('a clinicRole the gateway does not know', () => {
    it('is null with the label verbatim, the rest of the user intact, no error, and a warning', async () => {
      harness().demo.inject({ clinicRole: 'Chiropractor' });

      const response = await getUser(SEED_USER_ID);

      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.user).toMatchObject({
        clinicRole: null,
        clinicRoleLabel: 'Chiropractor',
        firstName: 'Sarah',
        level: 'MEMBER',
      });
      const warning = harness()
        .logs.map((line) => JSON.parse(line))
        .find((l) => l.level === 40);
      expect(warning).toMatchObject({ clinicRole: 'Chiropractor', userId: SEED_USER_ID });
    });

    it('is logged with at most its first 100 characters, however long Avara made it', async () => {
      const label = `Chiropractor ${'y'.repeat(10_000)}`;
      harness().demo.inject({ clinicRole: label });
      harness().logs.length = 0;

      const response = await getUser(SEED_USER_ID);

      expect(response.body.data.user.clinicRoleLabel).toBe(label);
      const warning = harness()
        .logs.map((line) => JSON.parse(line))
        .find((l) => l.level === 40);
      expect(warning).toMatchObject({
        clinicRole: `${label.slice(0, 100)}…`,
        userId: SEED_USER_ID,
      });
    });

    it('is kept through updateUser: nothing is sent for a role the client did not change', async () => {
      harness().demo.inject({ clinicRole: 'Oncology Nurse Navigator' });

      const response = await harness().graphql({
        query: `mutation ($userId: ID!) {
          updateUser(userId: $userId, input: { firstName: "Sarah" }) { clinicRole clinicRoleLabel }
        }`,
        variables: { userId: SEED_USER_ID },
      });

      expect(response.body).toStrictEqual({
        data: { updateUser: { clinicRole: null, clinicRoleLabel: 'Oncology Nurse Navigator' } },
      });
      expectUpstreamCalls(harness().demo, [
        { method: 'PATCH', path: userPath(SEED_USER_ID), body: { firstName: 'Sarah' } },
      ]);
    });
  });
});
