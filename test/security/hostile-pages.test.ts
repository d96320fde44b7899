/**
 * A broken or hostile upstream's list pages must not make a client page forever, nor show one item
 * twice in one page. A client follows `endCursor` while `hasNextPage` is true (what Apollo
 * Client's `fetchMore` loop and every "load all" helper do); each of these upstreams is finite,
 * so that loop must end.
 */
import { describe, expect, it } from '@jest/globals';
import { makeInvitations, makeUsers } from '../support/fixtures.js';
import { splitPath, useHarness } from '../support/harness.js';

const USERS = `query Users($first: Int, $after: String) {
  users(first: $first, after: $after) {
    edges { cursor node { userId } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const INVITATIONS = `query Invitations($first: Int, $after: String) {
  invitations(first: $first, after: $after) {
    edges { cursor node { invitationId } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** More requests than any of these finite lists needs: past it, the client would never stop. */
const MAX_CLIENT_REQUESTS = 12;

const harness = useHarness();

interface Followed {
  ids: string[];
  requests: number;
  /** Whether `hasNextPage` ever became false. */
  ended: boolean;
  /** Ids shown twice within one page. */
  repeatedWithinAPage: string[];
}

/** Follows `endCursor` like a client's "load all" loop, with a request cap as the test's guard. */
async function followList(
  query: string,
  field: 'users' | 'invitations',
  idField: 'userId' | 'invitationId',
  first: number,
): Promise<Followed> {
  const followed: Followed = { ids: [], requests: 0, ended: false, repeatedWithinAPage: [] };
  let after: string | undefined;
  while (followed.requests < MAX_CLIENT_REQUESTS) {
    followed.requests++;
    const response = await harness().graphql({ query, variables: { first, after } });
    expect(response.body.errors).toBeUndefined();
    const { edges, pageInfo } = response.body.data[field] as {
      edges: { node: Record<string, string> }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    const pageIds = edges.map(({ node }) => node[idField] as string);
    followed.repeatedWithinAPage.push(...pageIds.filter((id, i) => pageIds.indexOf(id) !== i));
    followed.ids.push(...pageIds);
    if (!pageInfo.hasNextPage || pageInfo.endCursor === null) {
      followed.ended = true;
      break;
    }
    after = pageInfo.endCursor;
  }
  return followed;
}

/** The `cursor` parameter of every list request Avara received, `null` where absent. */
const cursorsSent = () =>
  harness().demo.requests.map(({ path }) => {
    const cursor = splitPath(path).query.find(([name]) => name === 'cursor');
    return cursor === undefined ? null : cursor[1];
  });

describe('hostile list pages', () => {
  describe('duplicate ids in one page', () => {
    it('a client paging with first: 1 moves past the duplicate and ends (users)', async () => {
      const [a, b] = makeUsers(2);
      harness().demo.inject(
        { status: 200, body: { users: [a, a, b], hasMore: false } },
        { method: 'GET', pathPrefix: '/v1/viewer/users?', times: Number.POSITIVE_INFINITY },
      );

      const followed = await followList(USERS, 'users', 'userId', 1);

      // Avara's page, as sent: the gateway neither loops on the duplicate nor hides it across pages.
      expect(followed).toEqual({
        ids: [a?.userId, a?.userId, b?.userId],
        requests: 3,
        ended: true,
        repeatedWithinAPage: [],
      });
      expect(cursorsSent()).toEqual([null, null, null]);
    });

    it('a client paging with first: 1 moves past the duplicate and ends (invitations)', async () => {
      const [a, b] = makeInvitations(2);
      harness().demo.inject(
        { status: 200, body: { invitations: [a, b, a, b], hasMore: false } },
        {
          method: 'GET',
          pathPrefix: '/v1/viewer/users/invitations?',
          times: Number.POSITIVE_INFINITY,
        },
      );

      const followed = await followList(INVITATIONS, 'invitations', 'invitationId', 1);

      expect(followed.ended).toBe(true);
      expect(followed.ids).toEqual([a, b, a, b].map((invitation) => invitation?.invitationId));
    });

    it('one page never shows an id twice', async () => {
      const [a, b] = makeUsers(2);
      harness().demo.inject(
        { status: 200, body: { users: [a, b, a, b], hasMore: false } },
        { method: 'GET', pathPrefix: '/v1/viewer/users?' },
      );

      const followed = await followList(USERS, 'users', 'userId', 10);

      expect(followed).toEqual({
        ids: [a?.userId, b?.userId],
        requests: 1,
        ended: true,
        repeatedWithinAPage: [],
      });
    });
  });

  describe('a next cursor that leads back to a page already read', () => {
    it('ends the list when Avara answers every cursor with itself', async () => {
      const [a, b] = makeUsers(2);
      harness().demo.inject(
        { status: 200, body: { users: [a, b], hasMore: true, cursor: 'c2FtZQ==' } },
        { method: 'GET', pathPrefix: '/v1/viewer/users?', times: Number.POSITIVE_INFINITY },
      );

      const followed = await followList(USERS, 'users', 'userId', 50);

      expect(followed).toEqual({
        ids: [a?.userId, b?.userId],
        requests: 1,
        ended: true,
        repeatedWithinAPage: [],
      });
      // The first page, then its cursor once: reading it again could only repeat.
      expect(cursorsSent()).toEqual([null, 'c2FtZQ==']);
    });

    it('a client paging with first: 1 through a self-referencing cursor ends', async () => {
      const [a, b] = makeUsers(2);
      harness().demo.inject(
        { status: 200, body: { users: [a, b], hasMore: true, cursor: 'c2FtZQ==' } },
        { method: 'GET', pathPrefix: '/v1/viewer/users?', times: Number.POSITIVE_INFINITY },
      );

      const followed = await followList(USERS, 'users', 'userId', 1);

      expect(followed.ended).toBe(true);
      expect(followed.requests).toBeLessThanOrEqual(4);
      expect(followed.repeatedWithinAPage).toEqual([]);
    });

    it('stops a cycle of two cursors within one page', async () => {
      const [a, b, c] = makeUsers(3);
      const { demo } = harness();
      const infinitely = { method: 'GET', times: Number.POSITIVE_INFINITY } as const;
      demo.inject(
        { status: 200, body: { users: [a], hasMore: true, cursor: 'one' } },
        { ...infinitely, pathPrefix: '/v1/viewer/users?limit=' },
      );
      demo.inject(
        { status: 200, body: { users: [b], hasMore: true, cursor: 'two' } },
        { ...infinitely, pathPrefix: '/v1/viewer/users?cursor=one&' },
      );
      demo.inject(
        { status: 200, body: { users: [c], hasMore: true, cursor: 'one' } },
        { ...infinitely, pathPrefix: '/v1/viewer/users?cursor=two&' },
      );

      const followed = await followList(USERS, 'users', 'userId', 100);

      expect(followed.ids).toEqual([a, b, c].map((user) => user?.userId));
      expect(followed.ended).toBe(true);
      expect(cursorsSent()).toEqual([null, 'one', 'two']);
    });
  });
});
