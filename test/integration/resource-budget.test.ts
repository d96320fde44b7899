/**
 * The lookup budget counts the users resource's list and invitation fields, aliased or not, one
 * each (contract, Limits), before anything is sent.
 */
import { describe, expect, it } from '@jest/globals';
import { SEED_INVITATION_ID } from '../../src/demo/seed.js';
import { expectUpstreamCalls, useHarness } from '../support/harness.js';

const harness = useHarness({ maxUserLookups: 3 });

const USERS = 'users(first: 1) { nodes { userId } }';
const INVITATION = `invitation(invitationId: "${SEED_INVITATION_ID}") { invitationId }`;
const INVITATIONS = 'invitations(first: 1) { nodes { invitationId } }';

describe('the lookup budget and the users resource', () => {
  it('serves users, invitation and invitations at exactly the budget', async () => {
    const response = await harness().graphql({
      query: `{ ${USERS} ${INVITATION} ${INVITATIONS} }`,
    });

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(harness().demo.requests).toHaveLength(3);
  });

  it.each([
    ['aliased users fields', `{ a: ${USERS} b: ${USERS} c: ${USERS} d: ${USERS} }`],
    [
      'aliased invitation fields',
      `{ a: ${INVITATION} b: ${INVITATION} c: ${INVITATION} d: ${INVITATION} }`,
    ],
    [
      'aliased invitations fields',
      `{ a: ${INVITATIONS} b: ${INVITATIONS} c: ${INVITATIONS} d: ${INVITATIONS} }`,
    ],
    [
      'a mix, inside a fragment',
      `{ ...F ${USERS} } fragment F on Query { ${INVITATION} ${INVITATIONS} x: ${USERS} }`,
    ],
  ])(
    'refuses one over the budget with %s, with HTTP 400 and nothing sent',
    async (_case, query) => {
      const response = await harness().graphql({ query });

      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions).toMatchObject({
        code: 'GRAPHQL_VALIDATION_FAILED',
        limit: { name: 'userLookups', max: 3, actual: 4 },
      });
      expectUpstreamCalls(harness().demo, []);
    },
  );
});
