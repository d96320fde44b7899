import { describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { expectUpstreamCalls, userPath } from '../support/harness.js';
import { DEMO_STUDIES, type StudyRecord } from '../support/studies-subgraph.js';
import {
  STUDIES_WITH_PEOPLE,
  demoUser,
  demoUserNamed,
  expectedStudies,
  oneGetEach,
  referencedUserIds,
  upstreamCallCounts,
} from './expectations.js';
import { useRouter, type Router } from './router.js';

/** What the router's client sends; the users subgraph must hand it to Avara unchanged. */
const CALLER_AUTHORIZATION = 'Bearer router-client-token-7';
const UNKNOWN_USER_ID = `usr_${'0'.repeat(32)}`;

/** The user ids of each `_entities` request the router sent the users subgraph. */
function representationsSentToUsers(router: Router): string[][] {
  return router.subgraphRequests
    .filter(({ subgraph }) => subgraph === 'users')
    .map(({ variables }) => {
      const representations: unknown = variables?.['representations'];
      if (!Array.isArray(representations)) throw new Error('not an _entities request');
      return representations.map((representation: { userId: string }) => representation.userId);
    });
}

describe('the users subgraph behind @apollo/gateway', () => {
  describe('resolving the User entities another subgraph refers to', () => {
    const router = useRouter();

    it('answers assignees and reviewers with their mapped fields', async () => {
      const response = await router().graphql(
        { query: STUDIES_WITH_PEOPLE },
        { authorization: CALLER_AUTHORIZATION },
      );

      expect(response.body).toStrictEqual({ data: { studies: expectedStudies(DEMO_STUDIES) } });
    });

    it("asks Avara once per distinct user, with the router client's Authorization", async () => {
      const userIds = referencedUserIds(DEMO_STUDIES);

      const response = await router().graphql(
        { query: STUDIES_WITH_PEOPLE },
        { authorization: CALLER_AUTHORIZATION },
      );

      expect(response.body.errors).toBeUndefined();
      const { demo } = router().harness;
      expect(upstreamCallCounts(demo)).toStrictEqual(oneGetEach(userIds));
      expect(demo.requests).toHaveLength(userIds.length);
      expect(demo.requests.map(({ headers }) => headers.authorization)).toStrictEqual(
        userIds.map(() => CALLER_AUTHORIZATION),
      );
    });
  });

  describe('a user who is both an assignee and a reviewer', () => {
    const sarah = demoUserNamed('Sarah').userId;
    const priya = demoUserNamed('Priya').userId;
    const studies: StudyRecord[] = [
      {
        id: 'st_1',
        title: 'Chest CT',
        modality: 'CT',
        assignedTo: sarah,
        reviewers: [sarah, priya],
      },
      { id: 'st_2', title: 'Brain MRI', modality: 'MR', assignedTo: sarah, reviewers: [priya] },
    ];
    const router = useRouter({ studies });

    it('is looked up once per router request that carries it, since loaders live per request', async () => {
      const response = await router().graphql(
        { query: STUDIES_WITH_PEOPLE },
        { authorization: CALLER_AUTHORIZATION },
      );

      expect(response.body).toStrictEqual({ data: { studies: expectedStudies(studies) } });
      // The router asks for assignees and for reviewers in two separate `_entities` requests,
      // repeats included; each request de-duplicates its own keys.
      expect(
        representationsSentToUsers(router()).sort((a, b) => a.length - b.length),
      ).toStrictEqual([
        [sarah, sarah],
        [sarah, priya, priya],
      ]);
      expect(upstreamCallCounts(router().harness.demo)).toStrictEqual({
        [`GET ${userPath(sarah)}`]: 2,
        [`GET ${userPath(priya)}`]: 1,
      });
    });
  });

  describe('updateUser through the router', () => {
    const router = useRouter();

    it('changes the user with one PATCH that carries only the given field', async () => {
      const response = await router().graphql(
        {
          query: `mutation ($userId: ID!) {
            updateUser(userId: $userId, input: { phoneNumber: "5550001111" }) { userId phoneNumber }
          }`,
          variables: { userId: SEED_USER_ID },
        },
        { authorization: CALLER_AUTHORIZATION },
      );

      expect(response.body).toStrictEqual({
        data: { updateUser: { userId: SEED_USER_ID, phoneNumber: '5550001111' } },
      });
      expect(router().subgraphRequests.map(({ subgraph }) => subgraph)).toStrictEqual(['users']);
      expectUpstreamCalls(router().harness.demo, [
        {
          method: 'PATCH',
          path: userPath(SEED_USER_ID),
          body: { phoneNumber: '5550001111' },
          headers: { authorization: CALLER_AUTHORIZATION },
        },
      ]);
    });
  });

  describe('users that cannot be resolved', () => {
    const studies: StudyRecord[] = [
      ...DEMO_STUDIES,
      {
        id: 'st_orphan',
        title: 'Hand X-ray',
        modality: 'CR',
        assignedTo: UNKNOWN_USER_ID,
        reviewers: [],
      },
    ];
    const router = useRouter({ studies });

    it('gives null, and no error, for an assignee Avara does not know', async () => {
      const response = await router().graphql(
        { query: STUDIES_WITH_PEOPLE },
        { authorization: CALLER_AUTHORIZATION },
      );

      expect(response.body.errors).toBeUndefined();
      expect(response.body.data).toStrictEqual({
        studies: expectedStudies(studies, [UNKNOWN_USER_ID]),
      });
      expect(upstreamCallCounts(router().harness.demo)).toStrictEqual(
        oneGetEach(referencedUserIds(studies)),
      );
    });

    it("fails only that user's fields when Avara fails for one user", async () => {
      const miguel = demoUserNamed('Miguel').userId;
      const { demo } = router().harness;
      demo.inject(
        { status: 500 },
        { method: 'GET', pathPrefix: userPath(miguel), times: Infinity },
      );

      const response = await router().graphql(
        { query: STUDIES_WITH_PEOPLE },
        { authorization: CALLER_AUTHORIZATION },
      );

      expect(response.body.data).toStrictEqual({
        studies: expectedStudies(studies, [UNKNOWN_USER_ID, miguel]),
      });
      // The router keeps the subgraph's code and adds which subgraph failed.
      const miguelsStudies = studies.flatMap(({ assignedTo }, index) =>
        assignedTo === miguel ? [index] : [],
      );
      expect(response.body.errors).toStrictEqual(
        miguelsStudies.map((index) => ({
          message: expect.any(String),
          path: ['studies', index, 'assignedTo'],
          extensions: expect.objectContaining({
            code: 'UPSTREAM_ERROR',
            upstream: expect.objectContaining({ status: 500 }),
            serviceName: 'users',
          }),
        })),
      );
      // Everyone else was still asked for, once; Miguel at least once (retries are policy).
      const { [`GET ${userPath(miguel)}`]: miguelCalls, ...others } = upstreamCallCounts(demo);
      expect(others).toStrictEqual(
        oneGetEach(referencedUserIds(studies).filter((userId) => userId !== miguel)),
      );
      expect(miguelCalls).toBeGreaterThanOrEqual(1);
    });
  });

  describe('_entities asked of the users subgraph directly', () => {
    const router = useRouter();

    it('answers in the order of the representations, with null for an unknown user', async () => {
      const sarah = SEED_USER_ID;
      const daniel = demoUserNamed('Daniel').userId;
      const representations = [sarah, daniel, sarah, UNKNOWN_USER_ID].map((userId) => ({
        __typename: 'User',
        userId,
      }));

      const response = await router().harness.graphql({
        query: `query ($representations: [_Any!]!) {
          _entities(representations: $representations) { ... on User { userId firstName } }
        }`,
        variables: { representations },
      });

      expect(response.body).toStrictEqual({
        data: {
          _entities: [
            { userId: sarah, firstName: 'Sarah' },
            { userId: daniel, firstName: 'Daniel' },
            { userId: sarah, firstName: 'Sarah' },
            null,
          ],
        },
      });
      const { demo } = router().harness;
      expect(upstreamCallCounts(demo)).toStrictEqual(oneGetEach([sarah, daniel, UNKNOWN_USER_ID]));
      expect(demo.requests).toHaveLength(3);
    });
  });

  describe('a router secret', () => {
    const router = useRouter({ usersConfig: { routerSecret: 's3cret' }, routerSecret: 's3cret' });

    it('refuses a request without Router-Authorization with 401 and asks Avara nothing', async () => {
      const response = await router().harness.graphql(
        { query: `{ user(userId: "${SEED_USER_ID}") { userId } }` },
        { authorization: CALLER_AUTHORIZATION },
      );

      expect(response.status).toBe(401);
      expectUpstreamCalls(router().harness.demo, []);
    });

    it('serves the router that sends it, and does not pass it on to Avara', async () => {
      const response = await router().graphql(
        { query: '{ studies { title assignedTo { firstName } } }' },
        { authorization: CALLER_AUTHORIZATION },
      );

      expect(response.body).toStrictEqual({
        data: {
          studies: DEMO_STUDIES.map(({ title, assignedTo }) => ({
            title,
            assignedTo: assignedTo === null ? null : { firstName: demoUser(assignedTo).firstName },
          })),
        },
      });
      const { demo } = router().harness;
      expect(demo.requests.length).toBeGreaterThan(0);
      expect(demo.requests.map(({ headers }) => headers['router-authorization'])).toStrictEqual(
        demo.requests.map(() => undefined),
      );
    });
  });
});
