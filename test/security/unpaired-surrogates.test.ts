/**
 * Text inputs holding an unpaired UTF-16 surrogate (valid JSON: `"\ud800"`) are refused before
 * anything is sent. Sent on, a query string would carry one as U+FFFD, so the filter Avara applied
 * would not be the one the client asked for, and a JSON body would carry a lone escape.
 */
import { describe, expect, it } from '@jest/globals';
import { SEED_INVITATION_ID, SEED_USER_ID } from '../../src/demo/seed.js';
import { expectUpstreamCalls, useHarness } from '../support/harness.js';

const harness = useHarness();

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';

const INVITE_INPUT = {
  email: 'new.person@example.org',
  firstName: 'New',
  lastName: 'Person',
  clinicRole: 'DOCTOR',
  level: 'MEMBER',
  canManageStudies: false,
  hasDashboardAccess: false,
};

const fieldsOf = (body: {
  errors?: { extensions: { code: string; fieldErrors?: { field: string }[] } }[];
}) => {
  expect(body.errors).toHaveLength(1);
  expect(body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  return body.errors?.[0]?.extensions.fieldErrors?.map(({ field }) => field);
};

describe('unpaired surrogates in text inputs', () => {
  it.each([
    [
      'a users name filter',
      'query($f: UserFilter) { users(filter: $f) { nodes { userId } } }',
      { f: { lastName: `Jo${LONE_HIGH}` } },
      ['lastName'],
    ],
    [
      'a users email filter',
      'query($f: UserFilter) { users(filter: $f) { nodes { userId } } }',
      { f: { email: `${LONE_LOW}@x.org` } },
      ['email'],
    ],
    [
      'an invite',
      'mutation($i: UserInviteInput!) { inviteUser(input: $i) { userId } }',
      {
        i: {
          ...INVITE_INPUT,
          firstName: `A${LONE_LOW}`,
          middleName: LONE_HIGH,
          email: `a${LONE_HIGH}@x.org`,
        },
      },
      ['email', 'firstName', 'middleName'],
    ],
    [
      'a user patch',
      'mutation($id: ID!, $p: UserPatchInput!) { updateUser(userId: $id, input: $p) { userId } }',
      { id: SEED_USER_ID, p: { suffix1: `M${LONE_HIGH}D` } },
      ['suffix1'],
    ],
    [
      'an invitation patch',
      'mutation($id: ID!, $p: UserPatchInput!) { updateInvitation(invitationId: $id, input: $p) { invitationId } }',
      { id: SEED_INVITATION_ID, p: { lastName: LONE_LOW } },
      ['lastName'],
    ],
  ])('refuses %s, naming the field, and sends nothing', async (_case, query, variables, fields) => {
    const response = await harness().graphql({ query, variables });

    expect(fieldsOf(response.body)).toEqual(fields);
    expectUpstreamCalls(harness().demo, []);
  });

  it('still sends paired surrogates (an emoji) as they are', async () => {
    const response = await harness().graphql({
      query: 'query($f: UserFilter) { users(first: 1, filter: $f) { nodes { userId } } }',
      variables: { f: { lastName: 'Jo 😀' } },
    });

    expect(response.body.errors).toBeUndefined();
    expectUpstreamCalls(harness().demo, [
      { method: 'GET', path: '/v1/viewer/users', query: { limit: '1', lastName: 'Jo 😀' } },
    ]);
  });
});
