import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CONFIG_VARIABLES } from '../../src/config.js';
import { DEMO_USERS } from '../../src/demo/seed.js';
import {
  EXAMPLE_INVITE_MUTATION,
  EXAMPLE_INVITE_VARIABLES,
  EXAMPLE_MUTATION,
  EXAMPLE_QUERY,
  EXAMPLE_USERS_QUERY,
  EXAMPLE_USERS_VARIABLES,
  EXAMPLE_VARIABLES,
} from '../../src/examples.js';
import {
  EXTRA_PAGE_READS_PER_OPERATION,
  MAX_PAGES_PER_LIST,
} from '../../src/graphql/pagination.js';
import { MAX_LENGTHS } from '../../src/graphql/validation.js';
import { expectUpstreamCalls, startHarness, type Harness } from '../support/harness.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe('README', () => {
  it('shows the example operations and variables exactly as the code defines them', () => {
    expect(readme).toContain(EXAMPLE_QUERY);
    expect(readme).toContain(EXAMPLE_MUTATION);
    expect(readme).toContain(JSON.stringify(EXAMPLE_VARIABLES, null, 2));
    expect(readme).toContain(EXAMPLE_USERS_QUERY);
    expect(readme).toContain(JSON.stringify(EXAMPLE_USERS_VARIABLES, null, 2));
    expect(readme).toContain(EXAMPLE_INVITE_MUTATION);
    expect(readme).toContain(JSON.stringify(EXAMPLE_INVITE_VARIABLES, null, 2));
  });

  it('states the limits the code enforces', () => {
    expect(readme).toContain(`reads at most ${MAX_PAGES_PER_LIST} Avara pages`);
    expect(readme).toContain(`a budget of ${EXTRA_PAGE_READS_PER_OPERATION} the whole`);
    expect(readme).toContain(`| ${MAX_LENGTHS.cursor} characters`);
    expect(readme).toContain(`${MAX_LENGTHS.name} characters, not empty`);
    expect(readme).toContain(`${MAX_LENGTHS.email} characters`);
  });

  it('shows the Apollo Client type policy exactly as examples/ ships it', () => {
    const typePolicies = readFileSync(
      new URL('../../examples/apollo-client/type-policies.ts', import.meta.url),
      'utf8',
    );

    expect(readme).toContain(typePolicies.trim());
  });

  it.each(Object.values(CONFIG_VARIABLES).map((v) => [v.name, v.defaultText]))(
    'lists %s in the configuration table with its default (%s)',
    (name, defaultText) => {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      expect(row).toBeDefined();
      expect(row?.replaceAll('`', '')).toContain(defaultText.replaceAll('`', ''));
    },
  );

  it('first query reads the seeded user', async () => {
    const response = await harness.graphql({
      query: EXAMPLE_QUERY,
      variables: { userId: EXAMPLE_VARIABLES.userId },
    });

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.user).toMatchObject({ firstName: 'Sarah', lastName: 'Johnson' });
  });

  it('first mutation updates the seeded user', async () => {
    const response = await harness.graphql({
      query: EXAMPLE_MUTATION,
      variables: EXAMPLE_VARIABLES,
    });

    expect(response.body).toStrictEqual({
      data: {
        updateUser: {
          userId: EXAMPLE_VARIABLES.userId,
          clinicRole: 'PHYSICIAN_ASSISTANT',
          clinicRoleLabel: 'Physician Assistant',
          phoneNumber: '5559876543',
          middleName: null,
          canManageStudies: true,
        },
      },
    });
  });

  it('first list reads a page of the seeded members, and says there is more', async () => {
    harness.demo.reset();
    const response = await harness.graphql({
      query: EXAMPLE_USERS_QUERY,
      variables: EXAMPLE_USERS_VARIABLES,
    });

    expect(response.body.errors).toBeUndefined();
    const members = DEMO_USERS.filter(({ level }) => level === 'member');
    expect(
      response.body.data.users.edges.map(({ node }: { node: { userId: string } }) => node.userId),
    ).toEqual(members.slice(0, 2).map(({ userId }) => userId));
    expect(response.body.data.users.pageInfo.hasNextPage).toBe(true);
    expectUpstreamCalls(harness.demo, [
      { method: 'GET', path: '/v1/viewer/users', query: { limit: '2', level: 'member' } },
    ]);
  });

  it('first invite creates the user, and a second one is the CONFLICT the README shows', async () => {
    harness.demo.reset();
    const first = await harness.graphql({
      query: EXAMPLE_INVITE_MUTATION,
      variables: EXAMPLE_INVITE_VARIABLES,
    });
    const second = await harness.graphql({
      query: EXAMPLE_INVITE_MUTATION,
      variables: EXAMPLE_INVITE_VARIABLES,
    });

    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.inviteUser).toMatchObject({
      userId: expect.stringMatching(/^usr_[0-9a-f]{32}$/),
      email: EXAMPLE_INVITE_VARIABLES.invite.email,
      clinicRole: 'RADIOLOGIST',
      level: 'MEMBER',
    });
    expect(second.body.errors[0]).toMatchObject({
      message: 'A user with this email address already exists',
      extensions: { code: 'CONFLICT' },
    });
    expect(readme).toContain('"A user with this email address already exists"');
  });
});
