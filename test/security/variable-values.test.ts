/**
 * graphql-js quotes a caller's variable into its coercion message (`Variable "$input" got invalid
 * value { firstName: "Sarah", phoneNumber: "…" }`): in production the message keeps the variable,
 * the path and a value-free reason, never the value, since routers and error trackers store errors.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectUpstreamCalls, startHarness, type Harness } from '../support/harness.js';

const INVITE = `mutation ($input: UserInviteInput!) { inviteUser(input: $input) { userId } }`;
const UPDATE = `mutation ($userId: ID!, $input: UserPatchInput!) {
  updateUser(userId: $userId, input: $input) { userId }
}`;
const SEED = 'usr_1234567890abcdef1234567890abcdef';
const PERSONAL = {
  email: 'ada.lovelace@example.org',
  firstName: 'Augusta',
  lastName: 'Byron-Secret',
  phoneNumber: '5550001111',
};

/** Each mistake, and the message a production client gets for it. */
const MISTAKES = [
  [
    'a required field left out',
    {
      query: INVITE,
      variables: {
        input: { ...PERSONAL, level: 'MEMBER', canManageStudies: false, hasDashboardAccess: true },
      },
    },
    'Variable "$input" got an invalid value; Field "clinicRole" of required type "ClinicRole!" was not provided.',
  ],
  [
    'an unknown enum value',
    {
      query: UPDATE,
      variables: {
        userId: SEED,
        input: { firstName: PERSONAL.firstName, level: PERSONAL.lastName },
      },
    },
    'Variable "$input" got an invalid value at "input.level"; The value does not exist in "AssignableUserLevel" enum.',
  ],
  [
    'a number for a string',
    {
      query: UPDATE,
      variables: { userId: SEED, input: { firstName: 5550001111, lastName: PERSONAL.lastName } },
    },
    'Variable "$input" got an invalid value at "input.firstName"; String cannot represent the value.',
  ],
  [
    'an unknown input field named after personal data',
    {
      query: UPDATE,
      variables: { userId: SEED, input: { [PERSONAL.email]: PERSONAL.phoneNumber } },
    },
    'Variable "$input" got an invalid value; The value is not valid for its type.',
  ],
] as const;

function expectNoPersonalData(text: string): void {
  for (const value of Object.values(PERSONAL)) expect(text).not.toContain(value);
  expect(text).not.toContain('5550001111');
}

describe('variable-coercion messages in production', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ production: true, introspection: false });
  });
  afterAll(() => harness.close());

  it.each(MISTAKES)(
    'name the path and the rule, not the value, for %s',
    async (_case, request, message) => {
      harness.demo.reset();

      const response = await harness.graphql(request);

      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors[0].message).toBe(message);
      expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expectNoPersonalData(response.text);
      expectNoPersonalData(harness.logs.join(''));
      expectUpstreamCalls(harness.demo, []);
    },
  );
});

describe('variable-coercion messages in development', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ production: false, introspection: true });
  });
  afterAll(() => harness.close());

  it('keep graphql-js text, value included, for the developer who sent it', async () => {
    const [, request] = MISTAKES[1];

    const response = await harness.graphql(request);

    expect(response.body.errors[0].message).toContain(`got invalid value "${PERSONAL.lastName}"`);
  });
});
