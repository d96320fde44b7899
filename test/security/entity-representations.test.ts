/**
 * `_entities` representations are any JSON (`_Any`). A key that is not a string must be refused
 * for that entity alone with BAD_USER_INPUT and nothing sent: an array of one id string passed the
 * id pattern (`String(['usr_…'])`), so a GET went out and the answer then failed the identity
 * check as UPSTREAM_ERROR; a missing key crashed the check (`INTERNAL_SERVER_ERROR`, a 500-class
 * code for a client mistake).
 */
import { describe, expect, it } from '@jest/globals';
import { SEED_INVITATION_ID, SEED_USER_ID } from '../../src/demo/seed.js';
import { expectUpstreamCalls, userPath, useHarness } from '../support/harness.js';

const harness = useHarness();

const ENTITIES = `query($r: [_Any!]!) {
  _entities(representations: $r) {
    __typename
    ... on User { userId }
    ... on Invitation { invitationId }
  }
}`;

describe('_entities keys that are not strings', () => {
  it.each([
    ['a userId as an array of one id', { __typename: 'User', userId: [SEED_USER_ID] }, 'userId'],
    ['a userId as an object', { __typename: 'User', userId: { id: SEED_USER_ID } }, 'userId'],
    ['a userId as a number', { __typename: 'User', userId: 12 }, 'userId'],
    ['no userId', { __typename: 'User' }, 'userId'],
    [
      'an invitationId as an array of one id',
      { __typename: 'Invitation', invitationId: [SEED_INVITATION_ID] },
      'invitationId',
    ],
    ['no invitationId', { __typename: 'Invitation' }, 'invitationId'],
  ])('refuses %s for that entity alone, sending nothing', async (_case, representation, field) => {
    const response = await harness().graphql({
      query: ENTITIES,
      variables: { r: [representation, { __typename: 'User', userId: SEED_USER_ID }] },
    });

    expect(response.body.errors).toEqual([
      expect.objectContaining({
        path: ['_entities', 0],
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          fieldErrors: [{ field, message: expect.any(String) }],
        }),
      }),
    ]);
    expect(response.body.data._entities).toEqual([
      null,
      { __typename: 'User', userId: SEED_USER_ID },
    ]);
    expectUpstreamCalls(harness().demo, [{ method: 'GET', path: userPath(SEED_USER_ID) }]);
  });
});
