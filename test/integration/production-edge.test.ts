/**
 * What a production gateway gives away: no "Did you mean …" schema suggestions in any message
 * (validation and variable coercion alike, even with introspection turned back on), and inline
 * traces (`ftv1`: every field's timing and errors) only to a router that proved itself with
 * `Router-Authorization`.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Config } from '../../src/config.js';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { expectUpstreamCalls, startHarness, type Harness } from '../support/harness.js';

const ROUTER_SECRET = 'router-secret-31415';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const UPDATE = `mutation ($userId: ID!, $input: UserPatchInput!) {
  updateUser(userId: $userId, input: $input) { userId }
}`;

/** Mistakes whose graphql-js message suggests a schema member. */
const SUGGESTING_MISTAKES = [
  ['a misspelt field (validation)', { query: `{ user(userId: "${SEED_USER_ID}") { fistName } }` }],
  [
    'a misspelt input field (variable coercion)',
    { query: UPDATE, variables: { userId: SEED_USER_ID, input: { fistName: 'Sarah' } } },
  ],
  [
    'a misspelt enum value (variable coercion)',
    {
      query: UPDATE,
      variables: { userId: SEED_USER_ID, input: { clinicRole: 'PHYSICIAN_ASISTANT' } },
    },
  ],
  ['a misspelt argument (validation)', { query: `{ user(userID: "${SEED_USER_ID}") { userId } }` }],
] as const;

describe('schema suggestions', () => {
  describe.each([
    ['production', { production: true, introspection: false }],
    ['production with GRAPHQL_INTROSPECTION=true', { production: true, introspection: true }],
  ] as const)('in %s', (_mode, overrides: Partial<Config>) => {
    it.each(SUGGESTING_MISTAKES)('are cut from %s', async (_case, request) => {
      harness = await startHarness(overrides);

      const response = await harness.graphql(request);

      expect(response.status).toBe(400);
      expect(response.body.errors.length).toBeGreaterThan(0);
      expect(response.text).not.toMatch(/Did you mean/i);
      expectUpstreamCalls(harness.demo, []);
    });
  });

  it.each(SUGGESTING_MISTAKES)('are given in development, for %s', async (_case, request) => {
    harness = await startHarness({ production: false, introspection: true });

    const response = await harness.graphql(request);

    expect(response.text).toMatch(/Did you mean/);
  });
});

describe('inline traces (ftv1)', () => {
  const READ = { query: `{ user(userId: "${SEED_USER_ID}") { firstName } }` };
  const ASK_FOR_TRACE = { 'apollo-federation-include-trace': 'ftv1' };

  it('are not served in production without ROUTER_SECRET, whoever asks', async () => {
    harness = await startHarness({ production: true, introspection: false });

    const response = await harness.graphql(READ, ASK_FOR_TRACE);

    expect(response.body.data.user.firstName).toBe('Sarah');
    expect(response.body.extensions?.ftv1).toBeUndefined();
  });

  it('are served in production to the router, which proved itself with Router-Authorization', async () => {
    harness = await startHarness({
      production: true,
      introspection: false,
      routerSecret: ROUTER_SECRET,
    });

    const response = await harness.graphql(READ, {
      ...ASK_FOR_TRACE,
      'router-authorization': ROUTER_SECRET,
    });

    expect(response.body.data.user.firstName).toBe('Sarah');
    expect(response.body.extensions.ftv1).toEqual(expect.any(String));
  });

  it('are refused with everything else to a caller without the router secret', async () => {
    harness = await startHarness({
      production: true,
      introspection: false,
      routerSecret: ROUTER_SECRET,
    });

    const response = await harness.graphql(READ, {
      ...ASK_FOR_TRACE,
      'router-authorization': 'guess',
    });

    expect(response.status).toBe(401);
    expect(response.text).not.toContain('ftv1');
    expectUpstreamCalls(harness.demo, []);
  });

  it('are served in development, for local federation work', async () => {
    harness = await startHarness({ production: false });

    const response = await harness.graphql(READ, ASK_FOR_TRACE);

    expect(response.body.extensions.ftv1).toEqual(expect.any(String));
  });
});
