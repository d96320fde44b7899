/**
 * A client's mistake is a 4xx with a GraphQL code and the request's id, changes nothing upstream
 * and leaves one proportional log line: never a 500-class code, never a bug's stack. Apollo
 * Server's own refusals (CSRF, batching, malformed bodies) are included: they skip its plugins, so
 * the HTTP edge tags and logs them.
 */
import { describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { expectUpstreamCalls, useHarness } from '../support/harness.js';
import { rawRequest } from '../support/raw-http.js';

const ENTITIES =
  'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { userId } } }';
const JSON_HEADERS = { 'content-type': 'application/json' };

interface Mistake {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  code: string;
}

const json = (value: unknown): string => JSON.stringify(value);

const MISTAKES: readonly Mistake[] = [
  {
    name: 'an _entities representation of a type the subgraph does not have',
    body: json({
      query: ENTITIES,
      variables: { r: [{ __typename: 'Foo', userId: SEED_USER_ID }] },
    }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an _entities representation of a type that is not an entity (Query)',
    body: json({ query: ENTITIES, variables: { r: [{ __typename: 'Query' }] } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a known entity after an unknown one',
    body: json({
      query: ENTITIES,
      variables: { r: [{ __typename: 'User', userId: SEED_USER_ID }, { __typename: 'Nope' }] },
    }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a subscription',
    body: json({ query: 'subscription { user(userId: "x") { userId } }' }),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'an APQ hash that does not match the query',
    body: json({
      query: '{ __typename }',
      extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
    }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'an APQ version that does not exist',
    body: json({
      query: '{ __typename }',
      extensions: { persistedQuery: { version: 2, sha256Hash: '0'.repeat(64) } },
    }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'variables that are not an object',
    body: json({ query: '{ __typename }', variables: [1] }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'variables as a JSON string',
    body: json({ query: '{ __typename }', variables: '{}' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'an operationName that is not a string',
    body: json({ query: '{ __typename }', operationName: 1 }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a batched body (a JSON array)',
    body: json([{ query: '{ __typename }' }]),
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'an empty object', body: '{}', status: 400, code: 'BAD_REQUEST' },
  { name: 'a body that is not JSON', body: '{"query": ', status: 400, code: 'BAD_REQUEST' },
  { name: 'no query at all', body: json({ variables: {} }), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'a GET a browser could send cross-site without a preflight (CSRF prevention)',
    method: 'GET',
    path: '?query=%7B__typename%7D',
    headers: {},
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a method GraphQL does not use',
    method: 'PUT',
    body: '{}',
    status: 405,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a body over MAX_BODY_BYTES',
    body: json({ query: `{ __typename } #${'x'.repeat(100_001)}` }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a document that does not parse',
    body: json({ query: '{' }),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
];

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  err?: { stack?: string };
  [field: string]: unknown;
}

describe('client mistakes', () => {
  const harness = useHarness();

  const send = (
    { method = 'POST', path = '', headers = JSON_HEADERS, body }: Mistake,
    requestId: string,
  ) =>
    rawRequest(`${harness().gateway.url}${path}`, {
      method,
      headers: { ...headers, 'x-request-id': requestId },
      ...(body !== undefined && { body }),
    });

  const linesOf = (requestId: string): LogLine[] =>
    harness()
      .logs.map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.requestId === requestId);

  describe.each(MISTAKES)('$name', (mistake) => {
    const requestId = `mistake-${MISTAKES.indexOf(mistake)}`;

    it(`is HTTP ${mistake.status} ${mistake.code} with extensions.requestId, and nothing is sent upstream`, async () => {
      const response = await send(mistake, requestId);

      expect(response.status).toBe(mistake.status);
      expect(response.headers['x-request-id']).toBe(requestId);
      expect(response.body.errors.length).toBeGreaterThan(0);
      for (const error of response.body.errors) {
        expect(error.extensions).toMatchObject({ code: mistake.code, requestId });
      }
      expectUpstreamCalls(harness().demo, []);
    });

    it('is logged once, with its code, at info level and without a stack', async () => {
      await send(mistake, `${requestId}-log`);

      const lines = linesOf(`${requestId}-log`);
      expect(lines).toStrictEqual([
        expect.objectContaining({ level: 30, status: mistake.status, errorCodes: [mistake.code] }),
      ]);
      expect(JSON.stringify(lines)).not.toContain('stack');
    });
  });

  describe('APQ: a hash the server does not know yet', () => {
    it("keeps the APQ protocol's 200 PERSISTED_QUERY_NOT_FOUND (Apollo Client then sends the query), with the request id", async () => {
      const response = await send(
        {
          name: 'apq',
          body: json({
            extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
          }),
          status: 200,
          code: 'PERSISTED_QUERY_NOT_FOUND',
        },
        'apq-miss',
      );

      expect(response.status).toBe(200);
      expect(response.body.errors).toMatchObject([
        {
          message: 'PersistedQueryNotFound',
          extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', requestId: 'apq-miss' },
        },
      ]);
      expect(linesOf('apq-miss')).toHaveLength(1);
    });
  });

  describe('the log stays proportional', () => {
    /** An operation with `count` aliased lookups of an invalid id: `count` BAD_USER_INPUT errors. */
    const manyErrors = (count: number): Mistake => ({
      name: `${count} errors`,
      body: json({
        query: `{ ${Array.from({ length: count }, (_, i) => `a${i}: user(userId: "bad") { userId }`).join(' ')} }`,
      }),
      status: 200,
      code: 'BAD_USER_INPUT',
    });

    it('writes the same one line for 99 errors as for 1: distinct codes and a count', async () => {
      await send(manyErrors(1), 'one-error');
      await send(manyErrors(99), 'many-errors');

      const [one] = linesOf('one-error');
      const many = linesOf('many-errors');
      expect(many).toHaveLength(1);
      expect(many[0]).toMatchObject({ errorCodes: ['BAD_USER_INPUT'], errorCount: 99 });
      expect(one).toMatchObject({ errorCodes: ['BAD_USER_INPUT'], errorCount: 1 });
      // Only the numbers differ (count, duration): a line does not grow with the errors.
      expect(JSON.stringify(many[0]).length - JSON.stringify(one).length).toBeLessThan(40);
      expectUpstreamCalls(harness().demo, []);
    });
  });
});
