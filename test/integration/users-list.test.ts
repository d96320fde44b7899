/**
 * `users`: Relay pages over Avara's cursor pages, over real HTTP against the demo API.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEMO_USERS } from '../../src/demo/seed.js';
import {
  EXTRA_PAGE_READS_PER_OPERATION,
  MAX_PAGES_PER_LIST,
} from '../../src/graphql/pagination.js';
import { makeUsers } from '../support/fixtures.js';
import { ALL_USER_FIELDS, expectUpstreamCalls, splitPath, useHarness } from '../support/harness.js';

const USERS = `query Users($first: Int, $after: String, $filter: UserFilter) {
  users(first: $first, after: $after, filter: $filter) {
    edges { cursor node { userId lastName } }
    nodes { userId }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Page {
  edges: { cursor: string; node: { userId: string; lastName: string } }[];
  nodes: { userId: string }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

const harness = useHarness();

async function users(variables: Record<string, unknown>): Promise<Page> {
  const response = await harness().graphql({ query: USERS, variables });
  expect(response.body.errors).toBeUndefined();
  return response.body.data.users as Page;
}

const ids = (page: Page) => page.edges.map(({ node }) => node.userId);
const SEED_IDS = DEMO_USERS.map(({ userId }) => userId);

describe('users', () => {
  describe('what is sent upstream', () => {
    it('asks for the first page with limit = first and maps every field', async () => {
      const response = await harness().graphql({
        query: `{ users(first: 2) { nodes { ${ALL_USER_FIELDS} } pageInfo { hasNextPage } } }`,
      });

      expectUpstreamCalls(harness().demo, [
        { method: 'GET', path: '/v1/viewer/users', query: { limit: '2' } },
      ]);
      expect(response.body.data.users.nodes[0]).toStrictEqual({
        userId: SEED_IDS[0],
        email: 'dr.johnson@hospital.org',
        firstName: 'Sarah',
        middleName: 'Marie',
        lastName: 'Johnson',
        suffix1: 'MD',
        suffix2: 'FACR',
        phoneNumber: '5551234567',
        clinicRole: 'RADIOLOGIST',
        clinicRoleLabel: 'Radiologist',
        level: 'MEMBER',
        canManageStudies: true,
        hasDashboardAccess: true,
        invitedSource: 'API',
        createdAt: '2024-01-15T10:00:00Z',
        lastLoginAt: '2024-03-15T09:00:00Z',
      });
      expect(response.body.data.users.pageInfo).toEqual({ hasNextPage: true });
    });

    it('uses the default first of 20', async () => {
      const page = await users({});

      expectUpstreamCalls(harness().demo, [
        { method: 'GET', path: '/v1/viewer/users', query: { limit: '20' } },
      ]);
      expect(ids(page)).toEqual(SEED_IDS);
      expect(page.pageInfo.hasNextPage).toBe(false);
    });

    it('sends every filter as its query parameter with wire enum values', async () => {
      const page = await users({
        first: 5,
        filter: {
          email: 'dr.johnson@hospital.org',
          firstName: 'Sar',
          lastName: 'John',
          level: 'MEMBER',
          invitedSource: 'API',
        },
      });

      expectUpstreamCalls(harness().demo, [
        {
          method: 'GET',
          path: '/v1/viewer/users',
          query: {
            limit: '5',
            email: 'dr.johnson@hospital.org',
            firstName: 'Sar',
            lastName: 'John',
            level: 'member',
            invitedSource: 'api',
          },
        },
      ]);
      expect(ids(page)).toEqual([SEED_IDS[0]]);
    });

    it("passes Avara's cursor on as an encoded query value, never spliced", async () => {
      const first = await users({ first: 2 });
      harness().demo.reset();
      await users({ first: 2, after: first.pageInfo.endCursor });

      const [again, next] = harness().demo.requests;
      // Standard base64 with its padding: `=` must arrive encoded, the value intact.
      expect(again?.path).toBe('/v1/viewer/users?limit=2');
      expect(next?.path).toBe(
        `/v1/viewer/users?cursor=${encodeURIComponent(Buffer.from('{"offset":2}').toString('base64'))}&limit=2`,
      );
      expect(splitPath(next?.path ?? '').query).toEqual([
        ['cursor', Buffer.from('{"offset":2}').toString('base64')],
        ['limit', '2'],
      ]);
    });
  });

  describe('pages and cursors', () => {
    it('pages forward only: hasPreviousPage is false, start and end cursors are the edges at the ends', async () => {
      const page = await users({ first: 3 });

      expect(page.pageInfo).toEqual({
        hasNextPage: true,
        hasPreviousPage: false,
        startCursor: page.edges[0]?.cursor,
        endCursor: page.edges[2]?.cursor,
      });
      expect(page.nodes.map(({ userId }) => userId)).toEqual(ids(page));
    });

    it('gives null start and end cursors on an empty page', async () => {
      const page = await users({ filter: { email: 'nobody@hospital.org' } });

      expect(page).toEqual({
        edges: [],
        nodes: [],
        pageInfo: {
          hasNextPage: false,
          hasPreviousPage: false,
          startCursor: null,
          endCursor: null,
        },
      });
    });

    it('resumes right after ANY edge, not only the last one', async () => {
      const first = await users({ first: 4 });
      const page = await users({ first: 2, after: first.edges[1]?.cursor });

      expect(ids(page)).toEqual(SEED_IDS.slice(2, 4));
    });

    it('fills a page of 25 rows from Avara pages of 20 (the chain keeps its limit)', async () => {
      harness().demo.replaceData({ users: makeUsers(60) });
      const all = makeUsers(60).map(({ userId }) => userId);
      const first = await users({ first: 20 });
      harness().demo.requests.length = 0;
      const page = await users({ first: 25, after: first.pageInfo.endCursor });

      expect(ids(page)).toEqual(all.slice(20, 45));
      // The edge's page again, then two more pages of 20.
      expect(
        harness().demo.requests.map(({ path }) =>
          splitPath(path).query.find(([name]) => name === 'limit'),
        ),
      ).toEqual([
        ['limit', '20'],
        ['limit', '20'],
        ['limit', '20'],
      ]);
    });

    it('continues from the old index when the edge’s user was deleted meanwhile', async () => {
      harness().demo.replaceData({ users: makeUsers(10) });
      const all = makeUsers(10);
      const first = await users({ first: 4 });
      // The user of the last edge disappears: the next one now sits at its index.
      harness().demo.replaceData({ users: all.filter((_, index) => index !== 3) });
      const page = await users({ first: 3, after: first.pageInfo.endCursor });

      expect(ids(page)).toEqual(all.slice(4, 7).map(({ userId }) => userId));
    });

    it('continues after the edge’s user when an insertion ahead pushed it onto the next Avara page', async () => {
      const all = makeUsers(12);
      const [inserted, ...listed] = all;
      if (inserted === undefined) throw new Error('no users');
      harness().demo.replaceData({ users: listed });
      const first = await users({ first: 4 });
      // A user appears at the head of Avara's order: the edge's user moves to the next page.
      harness().demo.replaceData({ users: all });
      harness().demo.requests.length = 0;
      const page = await users({ first: 3, after: first.pageInfo.endCursor });

      expect(ids(page)).toEqual(listed.slice(4, 7).map(({ userId }) => userId));
      // The edge's page again, then the next, where the user is found: nothing read twice.
      expect(harness().demo.requests).toHaveLength(2);
    });

    it('continues at the old index when the last user of an Avara page was deleted', async () => {
      const all = makeUsers(12);
      harness().demo.replaceData({ users: all });
      const first = await users({ first: 4 });
      harness().demo.replaceData({ users: all.filter((_, index) => index !== 3) });
      harness().demo.requests.length = 0;
      const page = await users({ first: 6, after: first.pageInfo.endCursor });

      expect(ids(page)).toEqual(all.slice(4, 10).map(({ userId }) => userId));
      // The page read ahead while looking for the user is used, not read again.
      expect(harness().demo.requests).toHaveLength(3);
    });

    it(`reads at most ${MAX_PAGES_PER_LIST} Avara pages for one field, and says there is more`, async () => {
      harness().demo.replaceData({ users: makeUsers(30) });
      const first = await users({ first: 1 });
      harness().demo.requests.length = 0;
      const page = await users({ first: 100, after: first.pageInfo.endCursor });

      expect(harness().demo.requests).toHaveLength(MAX_PAGES_PER_LIST);
      expect(ids(page)).toEqual(
        makeUsers(30)
          .slice(1, MAX_PAGES_PER_LIST)
          .map(({ userId }) => userId),
      );
      expect(page.pageInfo.hasNextPage).toBe(true);
    });

    it('shares a page budget across aliased list fields, each still showing at least one user', async () => {
      harness().demo.replaceData({ users: makeUsers(30) });
      const first = await users({ first: 1 });
      harness().demo.requests.length = 0;
      const fields = 30;
      const aliases = Array.from(
        { length: fields },
        (_, i) =>
          `a${i}: users(first: 100, after: $after) { nodes { userId } pageInfo { hasNextPage } }`,
      ).join('\n');
      const response = await harness().graphql({
        query: `query ($after: String) { ${aliases} }`,
        variables: { after: first.pageInfo.endCursor },
      });

      expect(response.body.errors).toBeUndefined();
      const pages = Object.values(response.body.data) as {
        nodes: unknown[];
        pageInfo: { hasNextPage: boolean };
      }[];
      for (const page of pages) {
        expect(page.nodes.length).toBeGreaterThanOrEqual(1);
        expect(page.pageInfo.hasNextPage).toBe(true);
      }
      // Two reads each (the edge's page again, then one with an item), then the shared budget.
      expect(harness().demo.requests).toHaveLength(fields * 2 + EXTRA_PAGE_READS_PER_OPERATION);
    });

    it('visits every user exactly once in Avara’s order, whatever the sizes and resume points (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 45 }),
          fc.array(fc.tuple(fc.integer({ min: 1, max: 100 }), fc.nat()), {
            minLength: 1,
            maxLength: 60,
          }),
          async (size, steps) => {
            const list = makeUsers(size).map(({ userId }) => userId);
            harness().demo.replaceData({ users: makeUsers(size) });
            // Each step asks for `first` items after a randomly chosen edge of the previous page.
            let after: string | undefined;
            let nextIndex = 0;
            const seenByEndCursor: string[] = [];
            for (let step = 0; ; step++) {
              const [first, pick] = steps[step % steps.length] ?? [20, 0];
              const page = await users({ first, after });
              const got = ids(page);
              expect(got).toEqual(list.slice(nextIndex, nextIndex + got.length));
              expect(got.length).toBeLessThanOrEqual(first);
              expect(page.pageInfo.hasNextPage).toBe(nextIndex + got.length < list.length);
              if (got.length === 0) break;
              // Resuming after edge k: the next page starts right after it.
              const k = step < steps.length ? pick % got.length : got.length - 1;
              if (k === got.length - 1) seenByEndCursor.push(...got);
              else seenByEndCursor.push(...got.slice(0, k + 1));
              after = page.edges[k]?.cursor;
              nextIndex += k + 1;
              if (!page.pageInfo.hasNextPage && k === got.length - 1) break;
            }
            expect(seenByEndCursor).toEqual(list);
          },
        ),
        { numRuns: 25 },
      );
    }, 60_000);

    it('still visits every user once when, between pages, the edge’s user is deleted or a user is inserted at the head (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 30 }),
          fc.array(
            fc.tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom('none', 'delete', 'insert')),
            {
              minLength: 1,
              maxLength: 40,
            },
          ),
          async (size, steps) => {
            const pool = makeUsers(size + 50);
            const original = pool.slice(50);
            let current = [...original];
            let spare = 0;
            harness().demo.replaceData({ users: current });
            const visited: string[] = [];
            let after: string | undefined;
            for (let step = 0; step < 200; step++) {
              const [first, change] = steps[step % steps.length] ?? [5, 'none'];
              const page = await users({ first, after });
              visited.push(...ids(page));
              if (!page.pageInfo.hasNextPage) break;
              after = page.pageInfo.endCursor ?? undefined;
              const edgeId = page.edges.at(-1)?.node.userId;
              // One change between two reads, as a busy admin screen would see.
              if (change === 'delete') current = current.filter(({ userId }) => userId !== edgeId);
              if (change === 'insert' && spare < 50)
                current = [pool[spare++] as (typeof pool)[0], ...current];
              harness().demo.replaceData({ users: current });
            }
            expect(visited).toEqual(original.map(({ userId }) => userId));
          },
        ),
        { numRuns: 20 },
      );
    }, 60_000);
  });

  describe('bad arguments: BAD_USER_INPUT, nothing sent', () => {
    const otherFilter = async () =>
      (await users({ first: 1, filter: { level: 'MEMBER' } })).pageInfo.endCursor;
    const invitationCursor = async () => {
      const response = await harness().graphql({
        query: '{ invitations(first: 1) { pageInfo { endCursor } } }',
      });
      return response.body.data.invitations.pageInfo.endCursor as string;
    };

    it.each<[string, Record<string, unknown> | (() => Promise<Record<string, unknown>>), string[]]>(
      [
        ['first 0', { first: 0 }, ['first']],
        ['first 101', { first: 101 }, ['first']],
        ['first null', { first: null }, ['first']],
        ['random text as after', { after: 'page-2' }, ['after']],
        ["Avara's own cursor as after", { after: 'eyJvZmZzZXQiOjIwfQ==' }, ['after']],
        ['a cursor over 2048 characters', { after: 'A'.repeat(2049) }, ['after']],
        ['a cursor of another filter', async () => ({ after: await otherFilter() }), ['after']],
        [
          'a cursor of the invitations list',
          async () => ({ after: await invitationCursor() }),
          ['after'],
        ],
        [
          'every problem at once',
          {
            first: 0,
            after: 'x',
            filter: { email: 'e'.repeat(255), firstName: '', lastName: 'l'.repeat(101) },
          },
          ['first', 'after', 'email', 'firstName', 'lastName'],
        ],
      ],
    )('refuses %s', async (_case, variables, fields) => {
      const resolved = typeof variables === 'function' ? await variables() : variables;
      harness().demo.reset();
      const response = await harness().graphql({ query: USERS, variables: resolved });

      expect(response.body.errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({
            code: 'BAD_USER_INPUT',
            fieldErrors: fields.map((field) => ({ field, message: expect.any(String) })),
          }),
        }),
      ]);
      expectUpstreamCalls(harness().demo, []);
    });
  });

  describe('a broken upstream page', () => {
    it.each([
      ['more than 100 users', { users: makeUsers(101), hasMore: false }],
      ['no hasMore', { users: [] }],
      ['a cursor over 1024 characters', { users: [], hasMore: true, cursor: 'c'.repeat(1025) }],
      [
        'a cursor with characters a token never has',
        { users: [], hasMore: true, cursor: 'a"b\\c' },
      ],
    ])('fails the field with UPSTREAM_ERROR on %s', async (_case, body) => {
      harness().demo.inject({ status: 200, body }, { pathPrefix: '/v1/viewer/users?' });
      const response = await harness().graphql({ query: USERS, variables: { first: 5 } });

      expect(response.body.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
    });

    it('ends the list when Avara keeps announcing more with the same cursor (reading it again would only repeat)', async () => {
      const [user] = makeUsers(1);
      harness().demo.inject(
        { status: 200, body: { users: [user], hasMore: true, cursor: 'c2FtZQ==' } },
        { pathPrefix: '/v1/viewer/users?', times: Number.POSITIVE_INFINITY },
      );
      const response = await harness().graphql({ query: USERS, variables: { first: 100 } });

      expect(harness().demo.requests).toHaveLength(2);
      expect(response.body.data.users.nodes).toEqual([{ userId: user?.userId }]);
      expect(response.body.data.users.pageInfo.hasNextPage).toBe(false);
    });
  });
});
