/**
 * The example's `relayStylePagination` policies with Apollo Client itself, over loopback HTTP
 * against the real gateway and demo Avara API: `fetchMore` appends pages, lists are kept per
 * filter, and a mutation's answer updates the cached rows.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  ApolloClient,
  HttpLink,
  InMemoryCache,
  gql,
  type ObservableQuery,
  type OperationVariables,
  type TypedDocumentNode,
} from '@apollo/client';
import { filter, firstValueFrom } from 'rxjs';
import { typePolicies } from '../../examples/apollo-client/type-policies.js';
import { DEMO_INVITATIONS, DEMO_USERS } from '../../src/demo/seed.js';
import { makeUsers } from '../support/fixtures.js';
import { expectUpstreamCalls, startHarness, type Harness } from '../support/harness.js';

interface Row {
  __typename: 'User';
  userId: string;
  firstName: string;
  level: string;
}
interface UsersData {
  users: {
    edges: { cursor: string; node: Row }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const USERS: TypedDocumentNode<
  UsersData,
  { first: number; after?: string | null; filter?: object }
> = gql`
  query Users($first: Int!, $after: String, $filter: UserFilter) {
    users(first: $first, after: $after, filter: $filter) {
      edges {
        cursor
        node {
          userId
          firstName
          level
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const INVITATIONS: TypedDocumentNode<{
  invitations: {
    edges: {
      node: {
        __typename: 'Invitation';
        invitationId: string;
        status: string;
        suffix1: string | null;
      };
    }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}> = gql`
  query Invitations($first: Int!, $after: String) {
    invitations(first: $first, after: $after) {
      edges {
        node {
          invitationId
          status
          suffix1
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

let harness: Harness;
const clients: ApolloClient[] = [];

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  clients.forEach((client) => client.stop());
  await harness.close();
});
beforeEach(() => harness.demo.reset());

function createClient(): ApolloClient {
  const client = new ApolloClient({
    link: new HttpLink({ uri: harness.gateway.url }),
    cache: new InMemoryCache({ typePolicies }),
  });
  clients.push(client);
  return client;
}

/** Watches a query as a component would, resolving with its first complete result. */
async function watch<Data, Variables extends OperationVariables>(
  client: ApolloClient,
  query: TypedDocumentNode<Data, Variables>,
  variables: NoInfer<Variables>,
): Promise<{ watched: ObservableQuery<Data, Variables>; first: Data }> {
  const watched = client.watchQuery({ query, variables });
  const first = await firstValueFrom(
    watched.pipe(filter((result) => result.dataState === 'complete')),
  );
  return { watched, first: first.data as Data };
}

const idsOf = (data: UsersData | undefined) => data?.users.edges.map(({ node }) => node.userId);

describe('Apollo Client relayStylePagination against the gateway', () => {
  it('appends each fetchMore page to the list, without duplicates, until the end', async () => {
    const users = makeUsers(23);
    harness.demo.replaceData({ users });
    const client = createClient();
    const { watched, first } = await watch(client, USERS, { first: 10 });
    expect(idsOf(first)).toEqual(users.slice(0, 10).map(({ userId }) => userId));

    let data = first;
    while (data.users.pageInfo.hasNextPage) {
      const more = await watched.fetchMore({ variables: { after: data.users.pageInfo.endCursor } });
      // Each page brings only its own rows; the cache appends them.
      expect(idsOf(more.data as UsersData)).toHaveLength(
        Math.min(10, users.length - (idsOf(data)?.length ?? 0)),
      );
      data = watched.getCurrentResult().data as UsersData;
    }

    expect(idsOf(data)).toEqual(users.map(({ userId }) => userId));
    expect(new Set(idsOf(data)).size).toBe(users.length);
    // One upstream page for the first query, then the edge's page again and the next one each time.
    expect(harness.demo.requests.map(({ method }) => method)).toEqual(Array(5).fill('GET'));
  });

  it('keeps one list per filter', async () => {
    const client = createClient();

    const admins = await client.query({
      query: USERS,
      variables: { first: 10, filter: { level: 'ADMIN' } },
    });
    const all = await client.query({ query: USERS, variables: { first: 10 } });

    expect(idsOf(admins.data as UsersData)).toEqual(
      DEMO_USERS.filter(({ level }) => level === 'admin').map(({ userId }) => userId),
    );
    expect(idsOf(all.data as UsersData)).toEqual(DEMO_USERS.map(({ userId }) => userId));
    const root: object = (client.cache as InMemoryCache).extract().ROOT_QUERY ?? {};
    expect(Object.keys(root).filter((key) => key.startsWith('users'))).toEqual([
      'users:{"filter":{"level":"ADMIN"}}',
      'users:{}',
    ]);
  });

  it("updates the cached row from a mutation's answer, without refetching the list", async () => {
    const client = createClient();
    await client.query({ query: USERS, variables: { first: 10 } });
    const target = DEMO_USERS[3];
    if (target === undefined) throw new Error('the seed has no fourth user');

    await client.mutate({
      mutation: gql`
        mutation ($userId: ID!) {
          updateUser(userId: $userId, input: { firstName: "Mikey" }) {
            userId
            firstName
          }
        }
      `,
      variables: { userId: target.userId },
    });

    const cached = client.readQuery({ query: USERS, variables: { first: 10 } }) as UsersData | null;
    expect(cached?.users.edges[3]?.node).toEqual({
      __typename: 'User',
      userId: target.userId,
      firstName: 'Mikey',
      level: 'MEMBER',
    });
    expectUpstreamCalls(harness.demo, [
      { method: 'GET', path: '/v1/viewer/users', query: { limit: '10' } },
      { method: 'PATCH', path: `/v1/viewer/users/${target.userId}`, body: { firstName: 'Mikey' } },
    ]);
  });

  it('pages invitations the same way and updates a row from updateInvitation', async () => {
    const client = createClient();
    const { watched, first } = await watch(client, INVITATIONS, { first: 4 });
    await watched.fetchMore({ variables: { after: first.invitations.pageInfo.endCursor } });
    const [pending] = DEMO_INVITATIONS;
    if (pending === undefined) throw new Error('the seed has no invitations');

    await client.mutate({
      mutation: gql`
        mutation ($invitationId: ID!) {
          updateInvitation(invitationId: $invitationId, input: { suffix1: "DO" }) {
            invitationId
            suffix1
          }
        }
      `,
      variables: { invitationId: pending.invitationId },
    });

    const current = watched.getCurrentResult().data as typeof first | undefined;
    const rows = current?.invitations.edges.map(({ node }) => node) ?? [];
    expect(rows.map(({ invitationId }) => invitationId)).toEqual(
      DEMO_INVITATIONS.map(({ invitationId }) => invitationId),
    );
    expect(rows[0]).toEqual({
      __typename: 'Invitation',
      invitationId: pending.invitationId,
      status: 'SENT',
      suffix1: 'DO',
    });
  });
});
