import { afterEach, describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import {
  GATEWAY_API_KEY,
  expectUpstreamCalls,
  startHarness,
  userPath,
  type Harness,
} from '../support/harness.js';
import { rawGraphQL } from '../support/raw-http.js';

const GET_USER = `query ($userId: ID!) { user(userId: $userId) { userId } }`;
const UPDATE_USER = `mutation ($userId: ID!) {
  updateUser(userId: $userId, input: { suffix2: null }) { userId }
}`;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('credentials', () => {
  it.each([
    ['user', GET_USER, 'GET'],
    ['updateUser', UPDATE_USER, 'PATCH'],
  ] as const)(
    "forwards the caller's Authorization header unchanged (%s)",
    async (_op, query, method) => {
      harness = await startHarness();

      const response = await harness.graphql(
        { query, variables: { userId: SEED_USER_ID } },
        { authorization: 'Bearer caller-token-123', 'x-request-id': 'trace-42' },
      );

      expect(response.body.errors).toBeUndefined();
      expectUpstreamCalls(harness.demo, [
        {
          method,
          path: userPath(SEED_USER_ID),
          ...(method === 'PATCH' && { body: { suffix2: null } }),
          headers: { authorization: 'Bearer caller-token-123', 'x-request-id': 'trace-42' },
        },
      ]);
    },
  );

  it('uses Bearer AVARA_API_KEY when the caller sends no Authorization header', async () => {
    harness = await startHarness();

    await harness.graphql({ query: UPDATE_USER, variables: { userId: SEED_USER_ID } });

    expectUpstreamCalls(harness.demo, [
      {
        method: 'PATCH',
        path: userPath(SEED_USER_ID),
        body: { suffix2: null },
        headers: { authorization: `Bearer ${GATEWAY_API_KEY}` },
      },
    ]);
  });

  it.each([
    ['user', GET_USER],
    ['updateUser', UPDATE_USER],
  ])(
    'fails %s with UNAUTHENTICATED and sends nothing when there is no credential at all',
    async (_op, query) => {
      harness = await startHarness({ avaraApiKey: undefined });

      const response = await harness.graphql({ query, variables: { userId: SEED_USER_ID } });

      expect(response.body.errors[0].extensions).toStrictEqual({
        code: 'UNAUTHENTICATED',
        requestId: expect.any(String),
      });
      expectUpstreamCalls(harness.demo, []);
    },
  );

  it('answers UNAUTHENTICATED when Avara refuses the credential', async () => {
    harness = await startHarness();
    harness.demo.inject({ status: 401, body: { message: 'Invalid API key' } });

    const response = await harness.graphql(
      { query: UPDATE_USER, variables: { userId: SEED_USER_ID } },
      { authorization: 'Bearer wrong-key' },
    );

    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      upstream: { status: 401 },
    });
    expect(response.text).not.toContain('wrong-key');
  });

  it('never writes a credential to the log', async () => {
    harness = await startHarness();
    harness.demo.inject({ status: 500 });

    await harness.graphql(
      { query: UPDATE_USER, variables: { userId: SEED_USER_ID } },
      { authorization: 'Bearer caller-secret-777' },
    );
    await harness.graphql({ query: GET_USER, variables: { userId: SEED_USER_ID } });

    const log = harness.logs.join('');
    expect(log).not.toContain('caller-secret-777');
    expect(log).not.toContain(GATEWAY_API_KEY);
  });

  describe('at the edge: the service key stands in only for an absent header', () => {
    it.each([
      ['an empty Authorization header', { authorization: '' }],
      ['a blank Authorization header', { authorization: '   ' }],
      [
        'two Authorization headers (Node would keep only the first)',
        { authorization: ['Bearer caller-token-123', 'Bearer other-token-456'] },
      ],
      [
        'two Authorization headers, the first empty',
        { authorization: ['', 'Bearer caller-token-123'] },
      ],
    ])('refuses %s with UNAUTHENTICATED and sends nothing', async (_case, headers) => {
      harness = await startHarness();

      const response = await rawGraphQL(
        harness.gateway.url,
        { query: UPDATE_USER, variables: { userId: SEED_USER_ID } },
        headers,
      );

      expect(response.body.errors).toStrictEqual([
        expect.objectContaining({
          extensions: { code: 'UNAUTHENTICATED', requestId: response.headers['x-request-id'] },
        }),
      ]);
      expectUpstreamCalls(harness.demo, []);
    });
  });

  describe('an upstream 400/422 message that echoes the credential', () => {
    const CALLER = 'caller-token-Abc123';

    it.each([
      [
        400,
        'the service key, as the whole header',
        undefined,
        `Invalid API key: Bearer ${GATEWAY_API_KEY}`,
      ],
      [
        422,
        'the service key, bare and upper-cased',
        undefined,
        `key ${GATEWAY_API_KEY.toUpperCase()} is not valid`,
      ],
      [400, "the caller's token, as the whole header", CALLER, `Invalid API key: Bearer ${CALLER}`],
      [
        422,
        "the caller's token, bare, twice, in lower case",
        CALLER,
        `${CALLER.toLowerCase()} / ${CALLER}`,
      ],
    ])(
      'is kept for BAD_USER_INPUT (%i) with %s cut out',
      async (status, _case, callerToken, upstreamMessage) => {
        harness = await startHarness();
        harness.demo.inject({ status, body: { message: upstreamMessage } });
        const secret = callerToken ?? GATEWAY_API_KEY;

        const response = await harness.graphql(
          { query: UPDATE_USER, variables: { userId: SEED_USER_ID } },
          callerToken === undefined ? {} : { authorization: `Bearer ${callerToken}` },
        );

        const [error] = response.body.errors;
        expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', upstream: { status } });
        expect(error.message).toContain('[credential]');
        expect(response.text.toLowerCase()).not.toContain(secret.toLowerCase());
        expectUpstreamCalls(harness.demo, [
          {
            method: 'PATCH',
            path: userPath(SEED_USER_ID),
            body: { suffix2: null },
            headers: { authorization: `Bearer ${secret}` },
          },
        ]);
        // Upstream messages are never logged, with or without a credential in them.
        const log = harness.logs.join('');
        expect(log.toLowerCase()).not.toContain(secret.toLowerCase());
        expect(log).not.toContain(upstreamMessage.slice(0, 12));
      },
    );

    it('keeps the rest of the message as Avara wrote it', async () => {
      harness = await startHarness();
      harness.demo.inject({ status: 400, body: { message: 'phoneNumber must have 10 digits' } });

      const response = await harness.graphql({
        query: UPDATE_USER,
        variables: { userId: SEED_USER_ID },
      });

      expect(response.body.errors[0].message).toBe(
        'Avara rejected the input: phoneNumber must have 10 digits',
      );
    });
  });
});
