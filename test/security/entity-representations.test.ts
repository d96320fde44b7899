/**
 * `_entities` representations are untyped JSON (`_Any`), so a caller can send a `userId` that is
 * not a string. `["usr_…"]` passed the id pattern (a RegExp test turns it into the string), and
 * each such array was its own DataLoader key: 50 representations of one user cost 50 GETs
 * instead of one, and a non-string id reached the Avara client.
 */
import { describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { expectUpstreamCalls, useHarness } from '../support/harness.js';

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { userId } }
}`;

describe('_entities representations with a userId that is not a string', () => {
  const harness = useHarness();

  it.each([
    ['an array holding a valid id', [SEED_USER_ID]],
    ['an object', { id: SEED_USER_ID }],
    ['a number', 42],
  ])('refuses %s as BAD_USER_INPUT, and sends nothing upstream', async (_case, userId) => {
    const representations = Array.from({ length: 50 }, () => ({ __typename: 'User', userId }));

    const response = await harness().graphql({ query: ENTITIES, variables: { representations } });

    expect(response.body.errors).toHaveLength(50);
    for (const error of response.body.errors) {
      expect(error.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fieldErrors: [{ field: 'userId' }],
      });
    }
    expectUpstreamCalls(harness().demo, []);
  });
});
