import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import type { DemoFault } from '../../src/demo/server.js';
import { GATEWAY_API_KEY, startHarness, userPath, type Harness } from '../support/harness.js';

const UPDATE_USER = `mutation ($userId: ID!) {
  updateUser(userId: $userId, input: { firstName: "Sara" }) { userId firstName }
}`;
const GET_USER = `query ($userId: ID!) { user(userId: $userId) { userId firstName } }`;

const operations = {
  updateUser: { query: UPDATE_USER, method: 'PATCH' },
  user: { query: GET_USER, method: 'GET' },
} as const;
type Operation = keyof typeof operations;

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ avaraTimeoutMs: 300, avaraMaxRetries: 2 });
});
afterAll(() => harness.close());
beforeEach(() => harness.demo.reset());

async function run(operation: Operation) {
  const response = await harness.graphql({
    query: operations[operation].query,
    variables: { userId: SEED_USER_ID },
  });
  const calls = harness.demo.requests.filter((r) => r.path === userPath(SEED_USER_ID));
  return { response, calls, error: response.body.errors?.[0] };
}

function failAlways(fault: DemoFault) {
  harness.demo.inject(fault, { times: Infinity });
}

describe('upstream failures', () => {
  describe('status → code, after retries where the contract allows them', () => {
    it.each([
      // [status, code, PATCH attempts, GET attempts]
      [400, 'BAD_USER_INPUT', 1, 1],
      [401, 'UNAUTHENTICATED', 1, 1],
      [403, 'FORBIDDEN', 1, 1],
      [409, 'CONFLICT', 1, 3],
      [422, 'BAD_USER_INPUT', 1, 1],
      [429, 'RATE_LIMITED', 3, 3],
      [500, 'UPSTREAM_ERROR', 1, 3],
      [502, 'UPSTREAM_UNAVAILABLE', 1, 3],
      [503, 'UPSTREAM_UNAVAILABLE', 3, 3],
      [504, 'UPSTREAM_UNAVAILABLE', 1, 3],
      [408, 'UPSTREAM_TIMEOUT', 3, 3],
    ])(
      'answers %i as %s (PATCH tried %i times, GET %i times)',
      async (status, code, patches, gets) => {
        for (const [operation, attempts] of [
          ['updateUser', patches],
          ['user', gets],
        ] as const) {
          harness.demo.reset();
          failAlways({ status, headers: { 'x-request-id': `req_${status}` } });

          const { error, calls } = await run(operation);

          expect(error.extensions).toStrictEqual({
            requestId: expect.any(String),
            code,
            upstream: { status, requestId: `req_${status}` },
          });
          expect(calls).toHaveLength(attempts);
          expect(calls.every((call) => call.method === operations[operation].method)).toBe(true);
        }
      },
    );

    it('answers NOT_FOUND for updateUser and null without error for user on 404', async () => {
      failAlways({ status: 404 });

      const update = await run('updateUser');
      const read = await run('user');

      expect(update.error.extensions.code).toBe('NOT_FOUND');
      expect(read.response.body).toStrictEqual({ data: { user: null } });
    });
  });

  describe('retries', () => {
    it.each([
      ['updateUser', 503],
      ['updateUser', 429],
      ['user', 500],
      ['user', 409],
    ] as const)('%s succeeds after one %i', async (operation, status) => {
      harness.demo.inject({ status });

      const { response, calls } = await run(operation);

      expect(response.body.errors).toBeUndefined();
      expect(response.body.data).toBeTruthy();
      expect(calls).toHaveLength(2);
    });

    it('repeats a PATCH when Avara says x-should-retry: true, even after a 500', async () => {
      harness.demo.inject({ status: 500, headers: { 'x-should-retry': 'true' } });

      const { response, calls } = await run('updateUser');

      expect(response.body.data.updateUser.firstName).toBe('Sara');
      expect(calls).toHaveLength(2);
    });

    it('does not repeat a read when Avara says x-should-retry: false', async () => {
      harness.demo.inject({ status: 503, headers: { 'x-should-retry': 'false' } });

      const { error, calls } = await run('user');

      expect(error.extensions.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(calls).toHaveLength(1);
    });

    it('waits as long as retry-after-ms asks before retrying', async () => {
      harness.demo.inject({ status: 429, headers: { 'retry-after-ms': '120' } });

      const started = process.hrtime.bigint();
      const { response, calls } = await run('updateUser');
      const waitedMs = Number(process.hrtime.bigint() - started) / 1e6;

      expect(response.body.errors).toBeUndefined();
      expect(calls).toHaveLength(2);
      expect(waitedMs).toBeGreaterThanOrEqual(120);
    });

    it('gives RATE_LIMITED with retryAfterSeconds when Avara asks for a wait longer than the cap', async () => {
      failAlways({ status: 429, headers: { 'retry-after': '30' } });

      const { error, calls } = await run('updateUser');

      expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 30 });
      expect(calls).toHaveLength(1);
    });
  });

  describe('no answer', () => {
    it('times out a PATCH once without repeating it (it may have been applied)', async () => {
      failAlways({ delayMs: 1_000 });

      const { error, calls } = await run('updateUser');

      expect(error.extensions).toStrictEqual({
        code: 'UPSTREAM_TIMEOUT',
        requestId: expect.any(String),
      });
      expect(calls).toHaveLength(1);
    });

    it('retries a read that timed out, then gives UPSTREAM_TIMEOUT', async () => {
      failAlways({ delayMs: 1_000 });

      const { error, calls } = await run('user');

      expect(error.extensions).toStrictEqual({
        code: 'UPSTREAM_TIMEOUT',
        requestId: expect.any(String),
      });
      expect(calls).toHaveLength(3);
    });

    it.each([
      ['updateUser', 1],
      ['user', 3],
    ] as const)(
      'gives UPSTREAM_UNAVAILABLE when the connection drops (%s: %i attempts)',
      async (operation, attempts) => {
        failAlways({ drop: true });

        const { error, calls } = await run(operation);

        expect(error.extensions).toStrictEqual({
          code: 'UPSTREAM_UNAVAILABLE',
          requestId: expect.any(String),
        });
        expect(calls).toHaveLength(attempts);
      },
    );

    it('retries a PATCH whose connection was refused, since it was never sent', async () => {
      const closed = await startHarness({ avaraBaseUrl: 'http://127.0.0.1:9', avaraMaxRetries: 2 });
      try {
        const response = await closed.graphql({
          query: UPDATE_USER,
          variables: { userId: SEED_USER_ID },
        });
        expect(response.body.errors[0].extensions).toStrictEqual({
          code: 'UPSTREAM_UNAVAILABLE',
          requestId: expect.any(String),
        });
        expect(closed.logs.join('')).not.toContain(GATEWAY_API_KEY);
      } finally {
        await closed.close();
      }
    });
  });

  describe('answers that are not the documented JSON', () => {
    it.each<[string, DemoFault]>([
      ['a truncated JSON body', { status: 200, rawBody: '{"userId":"usr_12' }],
      ['an HTML page', { status: 200, rawBody: '<html>proxy error</html>' }],
      ['a user without lastName', { status: 200, body: { userId: SEED_USER_ID, email: 'x@y.z' } }],
      ['a level Avara does not document', { status: 200, body: { level: 'guest' } }],
      ['an array', { status: 200, body: [] }],
    ])('fails the operation with UPSTREAM_ERROR on %s', async (_case, fault) => {
      for (const operation of ['updateUser', 'user'] as const) {
        harness.demo.reset();
        harness.demo.inject({ headers: { 'x-request-id': 'req_bad' }, ...fault });

        const { error, response } = await run(operation);

        expect(error.extensions).toStrictEqual({
          requestId: expect.any(String),
          code: 'UPSTREAM_ERROR',
          upstream: { status: 200, requestId: 'req_bad' },
        });
        expect(response.status).toBe(200);
      }
    });
  });

  describe('what never reaches a client', () => {
    it('hides a 5xx body and every credential', async () => {
      failAlways({
        status: 500,
        body: { message: 'NullPointerException at db-7.internal:5432', stack: 'secret trace' },
      });

      const withCaller = await run('updateUser');
      const withCallerToken = await harness.graphql(
        { query: UPDATE_USER, variables: { userId: SEED_USER_ID } },
        { authorization: 'Bearer caller-token-abc' },
      );

      for (const text of [withCaller.response.text, withCallerToken.text]) {
        expect(text).not.toMatch(/NullPointer|db-7|secret trace/);
        expect(text).not.toContain(GATEWAY_API_KEY);
        expect(text).not.toContain('caller-token-abc');
      }
    });
  });
});
