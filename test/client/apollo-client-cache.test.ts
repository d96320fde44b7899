/**
 * What frontend teams get from `examples/apollo-client/type-policies.ts`: Apollo Client itself,
 * over loopback HTTP against the real gateway and demo Avara API.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  ApolloClient,
  HttpLink,
  InMemoryCache,
  gql,
  type TypePolicies,
  type TypedDocumentNode,
} from '@apollo/client';
import { typePolicies } from '../../examples/apollo-client/type-policies.js';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { expectUpstreamCalls, startHarness, userPath, type Harness } from '../support/harness.js';

interface CachedUser {
  __typename: 'User';
  userId: string;
  phoneNumber: string | null;
  clinicRole: string | null;
}

const GET_USER: TypedDocumentNode<
  { user: (CachedUser & { firstName: string }) | null },
  { userId: string }
> = gql`
  query GetUser($userId: ID!) {
    user(userId: $userId) {
      userId
      firstName
      phoneNumber
      clinicRole
    }
  }
`;

const UPDATE_USER: TypedDocumentNode<
  { updateUser: CachedUser },
  { userId: string; input: { phoneNumber: string; clinicRole: string } }
> = gql`
  mutation UpdateUser($userId: ID!, $input: UserPatchInput!) {
    updateUser(userId: $userId, input: $input) {
      userId
      phoneNumber
      clinicRole
    }
  }
`;

/** The seeded user as the query first reads it. */
const SEEDED = {
  __typename: 'User',
  userId: SEED_USER_ID,
  firstName: 'Sarah',
  phoneNumber: '5551234567',
  clinicRole: 'RADIOLOGIST',
} as const;

/** Different from the seed in both fields, so a stale read cannot pass for a fresh one. */
const CHANGE = { phoneNumber: '5550002222', clinicRole: 'PHYSICIAN_ASSISTANT' } as const;

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

/** A client as a frontend team builds one, with its cache typed as the InMemoryCache it is. */
function createClient(policies?: TypePolicies): { client: ApolloClient; cache: InMemoryCache } {
  const cache = new InMemoryCache(policies ? { typePolicies: policies } : {});
  const client = new ApolloClient({ link: new HttpLink({ uri: harness.gateway.url }), cache });
  clients.push(client);
  return { client, cache };
}

/** Reads the user, then changes it; each is one network request, and their results are checked. */
async function readThenUpdate(client: ApolloClient): Promise<void> {
  const read = await client.query({ query: GET_USER, variables: { userId: SEED_USER_ID } });
  expect(read.data).toStrictEqual({ user: SEEDED });

  const updated = await client.mutate({
    mutation: UPDATE_USER,
    variables: { userId: SEED_USER_ID, input: CHANGE },
  });
  expect(updated.data).toStrictEqual({
    updateUser: { __typename: 'User', userId: SEED_USER_ID, ...CHANGE },
  });
}

/** Fails unless the gateway went upstream exactly once to read and once to change the user. */
function expectOneReadAndOneUpdateUpstream(): void {
  expectUpstreamCalls(harness.demo, [
    { method: 'GET', path: userPath(SEED_USER_ID) },
    {
      method: 'PATCH',
      path: userPath(SEED_USER_ID),
      body: { phoneNumber: CHANGE.phoneNumber, clinicRole: 'Physician Assistant' },
    },
  ]);
}

describe('Apollo Client cache against the gateway', () => {
  describe('with the example type policies (User keyed by userId)', () => {
    it('stores the queried user under its userId key', async () => {
      const { client, cache } = createClient(typePolicies);

      await client.query({ query: GET_USER, variables: { userId: SEED_USER_ID } });

      const id = cache.identify({ __typename: 'User', userId: SEED_USER_ID });
      expect(id).toBe(`User:{"userId":"${SEED_USER_ID}"}`);
      const store = cache.extract();
      expect(store[`User:{"userId":"${SEED_USER_ID}"}`]).toStrictEqual(SEEDED);
      expect(store.ROOT_QUERY?.[`user({"userId":"${SEED_USER_ID}"})`]).toStrictEqual({
        __ref: id,
      });
    });

    it('shows the mutation result in the earlier query without refetching', async () => {
      const { client } = createClient(typePolicies);

      await readThenUpdate(client);

      expect(
        client.readQuery({ query: GET_USER, variables: { userId: SEED_USER_ID } }),
      ).toStrictEqual({
        user: { ...SEEDED, ...CHANGE },
      });
      const cacheOnly = await client.query({
        query: GET_USER,
        variables: { userId: SEED_USER_ID },
        fetchPolicy: 'cache-only',
      });
      expect(cacheOnly.data).toStrictEqual({ user: { ...SEEDED, ...CHANGE } });
      expectOneReadAndOneUpdateUpstream();
    });
  });

  describe('without a type policy (the control)', () => {
    it('cannot identify a user, because User has no id field', async () => {
      const { client, cache } = createClient();

      await client.query({ query: GET_USER, variables: { userId: SEED_USER_ID } });

      expect(cache.identify({ __typename: 'User', userId: SEED_USER_ID })).toBeUndefined();
      const store = cache.extract();
      expect(Object.keys(store).filter((key) => key.startsWith('User'))).toStrictEqual([]);
      // The user is only a copy nested inside the query's field.
      expect(store.ROOT_QUERY?.[`user({"userId":"${SEED_USER_ID}"})`]).toStrictEqual(SEEDED);
    });

    it('keeps showing the old values in the earlier query after a successful mutation', async () => {
      const { client } = createClient();

      await readThenUpdate(client);

      expect(
        client.readQuery({ query: GET_USER, variables: { userId: SEED_USER_ID } }),
      ).toStrictEqual({
        user: SEEDED,
      });
      expectOneReadAndOneUpdateUpstream();
      // The gateway does have the change: only the cache is stale.
      const refetched = await client.query({
        query: GET_USER,
        variables: { userId: SEED_USER_ID },
        fetchPolicy: 'network-only',
      });
      expect(refetched.data).toStrictEqual({ user: { ...SEEDED, ...CHANGE } });
    });
  });
});
