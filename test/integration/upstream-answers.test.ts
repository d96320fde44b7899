/**
 * Reading Avara's answers is bounded and strict (contract, Limits and Errors): a body longer than
 * AVARA_MAX_RESPONSE_BYTES is abandoned, not buffered, and not retried; an answer must arrive
 * whole within the attempt's time (to its last byte); it must be valid UTF-8 and the user that
 * was asked for. Each bad answer fails the one operation with UPSTREAM_ERROR.
 */
import { describe, expect, it } from '@jest/globals';
import { DEMO_USERS, SEED_USER_ID } from '../../src/demo/seed.js';
import type { DemoFault } from '../../src/demo/server.js';
import { expectUpstreamCalls, useHarness, userPath, type Harness } from '../support/harness.js';

const MAX_RESPONSE_BYTES = 64 * 1024;
const MiB = 1024 * 1024;
const OTHER_USER_ID = DEMO_USERS[1].userId;

const GET_USER = `query ($userId: ID!) { user(userId: $userId) { userId firstName } }`;
const UPDATE_USER = `mutation ($userId: ID!) {
  updateUser(userId: $userId, input: { firstName: "Sara" }) { userId firstName }
}`;
const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { userId } } }`;

type Operation = 'user' | 'updateUser' | '_entities';
const OPERATIONS: readonly Operation[] = ['user', 'updateUser', '_entities'];

function run(h: Harness, operation: Operation) {
  switch (operation) {
    case 'user':
      return h.graphql({ query: GET_USER, variables: { userId: SEED_USER_ID } });
    case 'updateUser':
      return h.graphql({ query: UPDATE_USER, variables: { userId: SEED_USER_ID } });
    case '_entities':
      return h.graphql({
        query: ENTITIES,
        variables: { r: [{ __typename: 'User', userId: SEED_USER_ID }] },
      });
  }
}

const methodOf = (operation: Operation) => (operation === 'updateUser' ? 'PATCH' : 'GET');

describe('answers from Avara', () => {
  const harness = useHarness({ avaraMaxResponseBytes: MAX_RESPONSE_BYTES });

  describe('size (AVARA_MAX_RESPONSE_BYTES)', () => {
    it.each([
      ['declared by content-length', true],
      ['chunked, found while reading', false],
    ])(
      'abandons a 50 MB answer %s, unretried, without reading it',
      async (_case, declareLength) => {
        const h = harness();
        h.demo.inject({
          bodyBytes: 50 * MiB,
          declareLength,
          headers: { 'x-request-id': 'req_big' },
        });
        const heapBefore = process.memoryUsage().heapUsed;

        const response = await run(h, 'user');

        expect(response.body.errors[0].extensions).toStrictEqual({
          code: 'UPSTREAM_ERROR',
          requestId: expect.any(String),
          upstream: { status: 200, requestId: 'req_big' },
        });
        expectUpstreamCalls(h.demo, [{ method: 'GET', path: userPath(SEED_USER_ID) }]);
        // The demo writes only as fast as the gateway reads: what it got out is what was read
        // (plus socket buffers), a small part of the 50 MB. Heap growth is bounded alike.
        expect(h.demo.slowBodies.bytesWritten).toBeLessThan(8 * MiB);
        expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(25 * MiB);
      },
    );

    it.each(OPERATIONS)('serves %s when the answer is exactly at the limit', async (operation) => {
      const h = harness();
      h.demo.inject({ bodyBytes: MAX_RESPONSE_BYTES, declareLength: false });

      const response = await run(h, operation);

      expect(response.body.errors).toBeUndefined();
      expect(h.demo.slowBodies.bytesWritten).toBe(MAX_RESPONSE_BYTES);
    });

    it.each(OPERATIONS)('fails %s one byte over the limit, unretried', async (operation) => {
      const h = harness();
      h.demo.inject({ bodyBytes: MAX_RESPONSE_BYTES + 1, declareLength: false });

      const response = await run(h, operation);

      expect(response.body.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
      expect(h.demo.requests.map((request) => request.method)).toStrictEqual([methodOf(operation)]);
    });
  });

  describe('time to the last byte (AVARA_TIMEOUT_MS)', () => {
    const dripping = useHarness({ avaraTimeoutMs: 300, avaraMaxRetries: 1 });

    it('cuts an answer dripping a byte every 50 ms at the attempt timeout, then retries the GET', async () => {
      const h = dripping();
      h.demo.inject({ dripMs: 50 }, { times: 2 });

      const response = await run(h, 'user');

      expect(response.body.errors[0].extensions).toStrictEqual({
        code: 'UPSTREAM_TIMEOUT',
        requestId: expect.any(String),
      });
      expectUpstreamCalls(h.demo, [
        { method: 'GET', path: userPath(SEED_USER_ID) },
        { method: 'GET', path: userPath(SEED_USER_ID) },
      ]);
      // Each attempt got a few bytes (headers arrived at once), far from the whole user.
      const userBytes = Buffer.byteLength(JSON.stringify(DEMO_USERS[0]));
      expect(h.demo.slowBodies.bytesWritten).toBeGreaterThan(0);
      expect(h.demo.slowBodies.bytesWritten).toBeLessThan(userBytes);
    });
  });

  describe('content', () => {
    it.each<[string, DemoFault]>([
      [
        'invalid UTF-8',
        {
          status: 200,
          rawBodyBase64: Buffer.from('{"userId":"\xff\xfe"}', 'latin1').toString('base64'),
        },
      ],
      [
        'another user than the one asked for',
        { userFields: { userId: OTHER_USER_ID, level: 'owner' } },
      ],
    ])('fails every operation with UPSTREAM_ERROR on %s, unretried', async (_case, fault) => {
      for (const operation of OPERATIONS) {
        const h = harness();
        h.demo.reset();
        h.demo.inject({ ...fault, headers: { 'x-request-id': 'req_bad' } });

        const response = await run(h, operation);

        expect(response.body.errors[0].extensions).toStrictEqual({
          code: 'UPSTREAM_ERROR',
          requestId: expect.any(String),
          upstream: { status: 200, requestId: 'req_bad' },
        });
        expect(response.text).not.toContain(OTHER_USER_ID);
        expect(h.demo.requests.map((request) => request.method)).toStrictEqual([
          methodOf(operation),
        ]);
      }
    });

    it('keeps a valid multi-byte name intact', async () => {
      const h = harness();
      h.demo.inject({ userFields: { firstName: 'Zoë 山田 🩺' } });

      const response = await run(h, 'user');

      expect(response.body.data.user).toStrictEqual({
        userId: SEED_USER_ID,
        firstName: 'Zoë 山田 🩺',
      });
    });

    it('caps retryAfterSeconds at 3600, whatever Retry-After says', async () => {
      const h = harness();
      h.demo.inject({ status: 429, headers: { 'retry-after': '1000000000000' } });

      const response = await run(h, 'user');

      expect(response.body.errors[0].extensions).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterSeconds: 3600,
      });
    });
  });
});
