import { describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import {
  ALL_USER_FIELDS,
  GATEWAY_API_KEY,
  expectUpstreamCalls,
  useHarness,
  userPath,
} from '../support/harness.js';

const UPDATE_USER = `mutation UpdateUser($userId: ID!, $input: UserPatchInput!) {
  updateUser(userId: $userId, input: $input) {
    ${ALL_USER_FIELDS}
  }
}`;

const harness = useHarness();

const updateUser = (input: Record<string, unknown>, userId = SEED_USER_ID) =>
  harness().graphql({ query: UPDATE_USER, variables: { userId, input } });

describe('updateUser', () => {
  describe('patch semantics', () => {
    it('sends all ten fields with enums as wire values and maps the answer back', async () => {
      const response = await updateUser({
        firstName: 'Sara',
        middleName: 'Maria',
        lastName: 'Jonsson',
        suffix1: 'DO',
        suffix2: 'FACC',
        phoneNumber: '445551234567',
        clinicRole: 'PHYSICIAN_ASSISTANT',
        level: 'ADMIN',
        canManageStudies: false,
        hasDashboardAccess: true,
      });

      expectUpstreamCalls(harness().demo, [
        {
          method: 'PATCH',
          path: userPath(SEED_USER_ID),
          body: {
            canManageStudies: false,
            clinicRole: 'Physician Assistant',
            firstName: 'Sara',
            hasDashboardAccess: true,
            lastName: 'Jonsson',
            level: 'admin',
            middleName: 'Maria',
            phoneNumber: '445551234567',
            suffix1: 'DO',
            suffix2: 'FACC',
          },
          headers: {
            authorization: `Bearer ${GATEWAY_API_KEY}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
        },
      ]);
      expect(response.body).toStrictEqual({
        data: {
          updateUser: {
            userId: SEED_USER_ID,
            email: 'dr.johnson@hospital.org',
            firstName: 'Sara',
            middleName: 'Maria',
            lastName: 'Jonsson',
            suffix1: 'DO',
            suffix2: 'FACC',
            phoneNumber: '445551234567',
            clinicRole: 'PHYSICIAN_ASSISTANT',
            clinicRoleLabel: 'Physician Assistant',
            level: 'ADMIN',
            canManageStudies: false,
            hasDashboardAccess: true,
            invitedSource: 'API',
            createdAt: '2024-01-15T10:00:00Z',
            lastLoginAt: '2024-03-15T09:00:00Z',
          },
        },
      });
    });

    it('leaves absent fields out of the PATCH body', async () => {
      await updateUser({ lastName: 'Johnson-Lee' });

      expectUpstreamCalls(harness().demo, [
        { method: 'PATCH', path: userPath(SEED_USER_ID), body: { lastName: 'Johnson-Lee' } },
      ]);
    });

    it('sends an explicit null for every clearable field and returns them cleared', async () => {
      const response = await updateUser({
        middleName: null,
        phoneNumber: null,
        suffix1: null,
        suffix2: null,
        clinicRole: null,
      });

      expectUpstreamCalls(harness().demo, [
        {
          method: 'PATCH',
          path: userPath(SEED_USER_ID),
          body: {
            clinicRole: null,
            middleName: null,
            phoneNumber: null,
            suffix1: null,
            suffix2: null,
          },
        },
      ]);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.updateUser).toMatchObject({
        middleName: null,
        phoneNumber: null,
        suffix1: null,
        suffix2: null,
        clinicRole: null,
        clinicRoleLabel: null,
      });
    });
  });

  describe('validation before anything is sent', () => {
    it.each([
      ['a malformed userId', {}, 'usr_NOT_HEX', ['userId']],
      ['an empty firstName', { firstName: '' }, SEED_USER_ID, ['firstName']],
      ['an empty lastName', { lastName: '' }, SEED_USER_ID, ['lastName']],
      ['an empty middleName', { middleName: '' }, SEED_USER_ID, ['middleName']],
      ['an empty suffix1', { suffix1: '' }, SEED_USER_ID, ['suffix1']],
      ['an empty suffix2', { suffix2: '' }, SEED_USER_ID, ['suffix2']],
      ['a 9-digit phone number', { phoneNumber: '555123456' }, SEED_USER_ID, ['phoneNumber']],
      [
        'a phone number with dashes',
        { phoneNumber: '555-123-4567' },
        SEED_USER_ID,
        ['phoneNumber'],
      ],
      [
        'ADMIN without dashboard access',
        { level: 'ADMIN', hasDashboardAccess: false },
        SEED_USER_ID,
        ['hasDashboardAccess'],
      ],
      ['null firstName', { firstName: null }, SEED_USER_ID, ['firstName']],
      ['null lastName', { lastName: null }, SEED_USER_ID, ['lastName']],
      ['null level', { level: null }, SEED_USER_ID, ['level']],
      ['null canManageStudies', { canManageStudies: null }, SEED_USER_ID, ['canManageStudies']],
      [
        'null hasDashboardAccess',
        { hasDashboardAccess: null },
        SEED_USER_ID,
        ['hasDashboardAccess'],
      ],
      [
        'several problems at once',
        { firstName: '', phoneNumber: '12', level: null },
        'usr_123',
        ['firstName', 'level', 'phoneNumber', 'userId'],
      ],
    ])('refuses %s with BAD_USER_INPUT naming the fields', async (_case, input, userId, fields) => {
      const response = await updateUser(input, userId);

      expect(response.body.data).toBeNull();
      const [error] = response.body.errors;
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
      const named = error.extensions.fieldErrors.map((e: { field: string }) => e.field);
      expect([...named].sort()).toStrictEqual(fields);
      for (const fieldError of error.extensions.fieldErrors) {
        expect(fieldError.message).toEqual(expect.any(String));
      }
      expectUpstreamCalls(harness().demo, []);
    });

    it('refuses an unknown enum value through GraphQL validation without calling Avara', async () => {
      const response = await updateUser({ level: 'OWNER' });

      expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expectUpstreamCalls(harness().demo, []);
    });
  });

  describe('upstream rejection', () => {
    it("keeps Avara's message for a 400 it raises itself", async () => {
      // Only Avara knows the stored user: take dashboard access away, then ask for ADMIN alone.
      const flip = await updateUser({ hasDashboardAccess: false });
      expect(flip.body.errors).toBeUndefined();

      const response = await updateUser({ level: 'ADMIN' });

      const [error] = response.body.errors;
      expect(error.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        upstream: { status: 400, requestId: expect.stringMatching(/^req_/) },
      });
      expect(error.message).toMatch(/^Avara rejected the input: .+/);
    });

    it('answers NOT_FOUND for a user Avara does not know', async () => {
      const unknown = 'usr_00000000000000000000000000000000';
      const response = await updateUser({ firstName: 'Ann' }, unknown);

      expect(response.body.errors[0].extensions).toMatchObject({
        code: 'NOT_FOUND',
        upstream: { status: 404 },
      });
      expectUpstreamCalls(harness().demo, [
        { method: 'PATCH', path: userPath(unknown), body: { firstName: 'Ann' } },
      ]);
    });
  });
});
