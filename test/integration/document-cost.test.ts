/**
 * The document-cost and lookup-budget promises on a running gateway: the 25-level
 * fragment bomb is answered while other requests keep being served, and the budget counts what
 * will execute, a variable's default value included. A pass that expanded the bomb (2^25
 * spreads) would hold the event loop for tens of seconds and fail these by the test's timeout.
 */
import { describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { expectUpstreamCalls, useHarness, userPath } from '../support/harness.js';

/** `query { ...F25 }`, `fragment F{i} on Query { ...F{i-1} ...F{i-1} }`, F0 `{ <leaf> }`. */
function fragmentBomb(levels: number, leaf: string, root = ''): string {
  const fragments = Array.from(
    { length: levels },
    (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`,
  );
  return [`query { ${root} ...F${levels} }`, `fragment F0 on Query { ${leaf} }`, ...fragments].join(
    '\n',
  );
}

const USER_FIELD = `user(userId: "${SEED_USER_ID}") { userId }`;

describe('document cost', () => {
  const harness = useHarness();

  async function health(): Promise<number> {
    return (await fetch(new URL('/health', harness().gateway.url))).status;
  }

  it('answers the 25-level bomb while /health keeps answering', async () => {
    const h = harness();
    // The bomb plus one real lookup, held upstream: its GET arriving proves analysis is over.
    h.demo.inject({ delayMs: 300 }, { method: 'GET', pathPrefix: userPath(SEED_USER_ID) });
    const query = fragmentBomb(25, '__typename', `u: ${USER_FIELD}`);
    expect(query.length).toBeLessThan(2_000);

    let bombAnswered = false;
    const bomb = h.graphql({ query }).then((response) => {
      bombAnswered = true;
      return response;
    });
    await h.demo.waitForRequests(1);
    const statuses = await Promise.all([health(), health(), health()]);

    expect(statuses).toStrictEqual([200, 200, 200]);
    expect(bombAnswered).toBe(false); // served while the bomb's operation was still running
    const response = await bomb;
    expect(response.status).toBe(200);
    expect(response.body).toStrictEqual({
      data: { u: { userId: SEED_USER_ID }, __typename: 'Query' },
    });
    expectUpstreamCalls(h.demo, [{ method: 'GET', path: userPath(SEED_USER_ID) }]);
  }, 10_000);

  it('refuses a bomb of user lookups with the count execution would make, sending nothing', async () => {
    const h = harness();

    const response = await h.graphql({ query: fragmentBomb(25, USER_FIELD) });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: { name: 'userLookups', max: 100, actual: 2 ** 25 },
    });
    expect(await health()).toBe(200);
    expectUpstreamCalls(h.demo, []);
  }, 10_000);
});

describe('the lookup budget counts coerced variables', () => {
  const harness = useHarness();
  const representations = (n: number) =>
    Array.from({ length: n }, () => ({ __typename: 'User', userId: SEED_USER_ID }));
  const ENTITIES = '_entities(representations: $r) { ... on User { userId } }';

  it('refuses 540 representations given as a default value, with no upstream call', async () => {
    const h = harness();
    const defaults = JSON.stringify(representations(540)).replace(/"(\w+)":/g, '$1:');

    const response = await h.graphql({
      query: `query ($r: [_Any!]! = ${defaults}) { ${ENTITIES} }`,
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: { name: 'userLookups', max: 100, actual: 540 },
    });
    expectUpstreamCalls(h.demo, []);
  });

  it('counts the variable given over its default', async () => {
    const h = harness();
    const defaults = JSON.stringify(representations(540)).replace(/"(\w+)":/g, '$1:');

    const response = await h.graphql({
      query: `query ($r: [_Any!]! = ${defaults}) { ${ENTITIES} }`,
      variables: { r: representations(2) },
    });

    expect(response.body).toStrictEqual({
      data: { _entities: [{ userId: SEED_USER_ID }, { userId: SEED_USER_ID }] },
    });
    // One GET: the request's loader collapses the duplicate id.
    expectUpstreamCalls(h.demo, [{ method: 'GET', path: userPath(SEED_USER_ID) }]);
  });

  it('counts one object given where the list is expected as one lookup', async () => {
    const h = harness();

    const response = await h.graphql({
      query: `query ($r: [_Any!]!) { ${ENTITIES} }`,
      variables: { r: { __typename: 'User', userId: SEED_USER_ID } },
    });

    expect(response.body).toStrictEqual({ data: { _entities: [{ userId: SEED_USER_ID }] } });
    expectUpstreamCalls(h.demo, [{ method: 'GET', path: userPath(SEED_USER_ID) }]);
  });
});
