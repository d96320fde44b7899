import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CONFIG_VARIABLES } from '../../src/config.js';
import { EXAMPLE_MUTATION, EXAMPLE_QUERY, EXAMPLE_VARIABLES } from '../../src/examples.js';
import { startHarness, type Harness } from '../support/harness.js';

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
});
