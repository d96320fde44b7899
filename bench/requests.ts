/**
 * What the benchmark sends: the GraphQL operations, the direct upstream calls they stand for, and
 * one-shot checks that a scenario answers successfully before it is measured.
 */
import { SEED_USER_ID, DEMO_USERS } from '../src/demo/seed.js';
import type { RequestSpec } from './protocol.js';

/** Sent as the gateway's AVARA_API_KEY and as the direct calls' bearer token. */
export const BENCH_API_KEY = 'bench-key';
export const PATCH_INPUT = { phoneNumber: '5551234567' } as const;

const UPDATE_USER = `mutation UpdateUser($userId: ID!, $input: UserPatchInput!) { updateUser(userId: $userId, input: $input) { userId firstName clinicRole phoneNumber } }`;
const USER = `query User($userId: ID!) { user(userId: $userId) { userId firstName clinicRole phoneNumber } }`;
const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { userId firstName } } }`;

const JSON_HEADERS = { 'content-type': 'application/json' };
const BEARER = { authorization: `Bearer ${BENCH_API_KEY}` };

export function updateUserRequest(graphqlUrl: string): RequestSpec {
  const body = JSON.stringify({
    query: UPDATE_USER,
    variables: { userId: SEED_USER_ID, input: PATCH_INPUT },
  });
  return { url: graphqlUrl, method: 'POST', headers: JSON_HEADERS, body, graphql: true };
}

export function userRequest(graphqlUrl: string): RequestSpec {
  const body = JSON.stringify({ query: USER, variables: { userId: SEED_USER_ID } });
  return { url: graphqlUrl, method: 'POST', headers: JSON_HEADERS, body, graphql: true };
}

/** `_entities` with every id twice: 2 × ids.length representations, ids.length distinct. */
export function entitiesRequest(graphqlUrl: string, userIds: readonly string[]): RequestSpec {
  const representations = [...userIds, ...userIds].map((userId) => ({
    __typename: 'User',
    userId,
  }));
  const body = JSON.stringify({ query: ENTITIES, variables: { r: representations } });
  return { url: graphqlUrl, method: 'POST', headers: JSON_HEADERS, body, graphql: true };
}

function userUrl(demoUrl: string): string {
  return `${demoUrl}/v1/viewer/users/${SEED_USER_ID}`;
}

export function directPatchRequest(demoUrl: string): RequestSpec {
  return {
    url: userUrl(demoUrl),
    method: 'PATCH',
    headers: { ...JSON_HEADERS, ...BEARER },
    body: JSON.stringify(PATCH_INPUT),
    graphql: false,
  };
}

export function directGetRequest(demoUrl: string): RequestSpec {
  return { url: userUrl(demoUrl), method: 'GET', headers: BEARER, graphql: false };
}

/** A 2xx, and for GraphQL a body without `errors`: what every measured response must be. */
export function isSuccess(status: number, body: string, graphql: boolean): boolean {
  return status >= 200 && status < 300 && !(graphql && body.includes('"errors"'));
}

/** Sends one request; throws with the answer when it is not a success. */
export async function expectSuccess(name: string, spec: RequestSpec): Promise<string> {
  const response = await fetch(spec.url, {
    method: spec.method,
    headers: spec.headers,
    ...(spec.body !== undefined && { body: spec.body }),
  });
  const body = await response.text();
  if (!isSuccess(response.status, body, spec.graphql)) {
    throw new Error(`${name}: first response is not a success: ${response.status} ${body}`);
  }
  return body;
}

/**
 * The demo's users beyond its seed (DEMO_AVARA_SYNTHETIC_USERS), found by listing them, so the
 * ids are not copied here from src/demo/main.ts.
 */
export async function listSyntheticUserIds(demoUrl: string, count: number): Promise<string[]> {
  const seedIds = new Set(DEMO_USERS.map((user) => user.userId));
  const response = await fetch(`${demoUrl}/v1/viewer/users?limit=100`, { headers: BEARER });
  const page: unknown = await response.json();
  const users =
    typeof page === 'object' && page !== null && 'users' in page && Array.isArray(page.users)
      ? (page.users as unknown[])
      : [];
  const ids = users
    .map((user) =>
      typeof user === 'object' && user !== null && 'userId' in user ? user.userId : undefined,
    )
    .filter((id): id is string => typeof id === 'string' && !seedIds.has(id));
  if (ids.length < count) {
    throw new Error(`the demo API lists ${ids.length} synthetic users; ${count} are needed`);
  }
  return ids.slice(0, count);
}
