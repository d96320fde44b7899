/**
 * Paging as a process, not a case: several clients page through the same list at once on one
 * gateway, while writes land and Avara fails now and then; then a second gateway (another
 * replica, or this one after a restart) resumes their cursors. Cursors carry no per-process state,
 * so every pager still visits every user exactly once, in Avara's order.
 */
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/logger.js';
import { createServer } from '../../src/server.js';
import { makeUsers } from '../support/fixtures.js';
import { postGraphQL, useHarness } from '../support/harness.js';

const harness = useHarness();

const USERS = `query ($first: Int, $after: String) {
  users(first: $first, after: $after) { edges { cursor node { userId } } pageInfo { hasNextPage endCursor } }
}`;

interface Page {
  edges: { cursor: string; node: { userId: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Pages to the end through `url`, repeating a page whose operation failed; returns ids and failures. */
async function pageThrough(url: string, sizes: readonly number[], after?: string) {
  const seen: string[] = [];
  let failures = 0;
  for (let step = 0; step < 500; step++) {
    const first = sizes[step % sizes.length];
    const response = await postGraphQL(url, { query: USERS, variables: { first, after } });
    if (response.body?.errors !== undefined) {
      // A failed page fails only its operation: the same cursor is asked for again.
      expect(response.body.errors[0].extensions.code).toMatch(/^UPSTREAM_/);
      failures++;
      continue;
    }
    const page = response.body.data.users as Page;
    seen.push(...page.edges.map(({ node }) => node.userId));
    if (!page.pageInfo.hasNextPage) return { seen, failures };
    after = page.pageInfo.endCursor ?? undefined;
  }
  throw new Error('the pager did not reach the end');
}

describe('paging under mixed traffic on one gateway', () => {
  it('keeps every pager exact while others page, writes land and Avara fails', async () => {
    const users = makeUsers(57);
    const ids = users.map(({ userId }) => userId);
    const { demo, gateway } = harness();
    demo.replaceData({ users });
    // Every GET of a list page may meet a 503 (retried) or a run of them (the operation fails).
    demo.inject({ status: 503 }, { method: 'GET', pathPrefix: '/v1/viewer/users?', times: 25 });

    const writes = users.slice(0, 12).map((user, index) =>
      postGraphQL(gateway.url, {
        query: `mutation ($userId: ID!, $input: UserPatchInput!) { updateUser(userId: $userId, input: $input) { userId } }`,
        variables: { userId: user.userId, input: { firstName: `Renamed${index}` } },
      }),
    );
    const pagers = await Promise.all([
      pageThrough(gateway.url, [7]),
      pageThrough(gateway.url, [25, 3, 100]),
      pageThrough(gateway.url, [1, 1, 2, 40]),
      pageThrough(gateway.url, [20]),
    ]);
    const written = await Promise.all(writes);

    for (const { seen } of pagers) expect(seen).toEqual(ids);
    expect(written.map(({ body }) => body.errors)).toEqual(written.map(() => undefined));
    // The faults were met: the sequence did include failing upstream attempts.
    expect(demo.requests.filter(({ method }) => method === 'GET').length).toBeGreaterThan(25);
  });

  it("resumes another replica's cursors: no per-process key or state", async () => {
    const users = makeUsers(30);
    const { demo, gateway, config } = harness();
    demo.replaceData({ users });
    const first = await postGraphQL(gateway.url, { query: USERS, variables: { first: 8 } });
    const edges = (first.body.data.users as Page).edges;

    const replica = await createServer(config, { logger: createLogger('silent') });
    try {
      const rest = await pageThrough(replica.url, [9], edges[4]?.cursor);
      expect(rest.seen).toEqual(users.slice(5).map(({ userId }) => userId));
    } finally {
      await replica.close();
    }
  });
});
