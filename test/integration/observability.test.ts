import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { AvaraClient } from '../../src/avara/client.js';
import { loadConfig } from '../../src/config.js';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { createLogger } from '../../src/logger.js';
import { createServer, type GatewayServer } from '../../src/server.js';
import {
  expectUpstreamCalls,
  postGraphQL,
  startHarness,
  userPath,
  type Harness,
} from '../support/harness.js';
import { createBuggyClient } from '../support/buggy-client.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const GET_USER = `query GetUser($userId: ID!) { user(userId: $userId) { userId firstName } }`;
const UPDATE_USER = `mutation UpdateUser($userId: ID!, $input: UserPatchInput!) {
  updateUser(userId: $userId, input: $input) { userId firstName }
}`;

/** One parsed pino line; fields are read, never trusted to have a shape. */
type LogLine = Record<string, unknown>;

function parseLogs(lines: readonly string[]): LogLine[] {
  return lines.map((line) => JSON.parse(line) as LogLine);
}

const operationLines = (lines: readonly string[]) =>
  parseLogs(lines).filter((line) => line.msg === 'operation');

describe('observability', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    harness.demo.reset();
    harness.logs.length = 0;
  });

  const getUser = (headers?: Record<string, string>) =>
    harness.graphql({ query: GET_USER, variables: { userId: SEED_USER_ID } }, headers);
  const updateUser = (input: Record<string, unknown>, headers?: Record<string, string>) =>
    harness.graphql(
      {
        query: UPDATE_USER,
        operationName: 'UpdateUser',
        variables: { userId: SEED_USER_ID, input },
      },
      headers,
    );

  describe('request ids', () => {
    it("sends the caller's x-request-id to Avara, returns it, and puts it on every error and the log line", async () => {
      harness.demo.inject({ status: 403 }, { method: 'PATCH' });

      const response = await updateUser({ firstName: 'Sara' }, { 'x-request-id': 'trace-abc.123' });

      expect(response.headers.get('x-request-id')).toBe('trace-abc.123');
      expectUpstreamCalls(harness.demo, [
        {
          method: 'PATCH',
          path: userPath(SEED_USER_ID),
          body: { firstName: 'Sara' },
          headers: { 'x-request-id': 'trace-abc.123' },
        },
      ]);
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        requestId: 'trace-abc.123',
      });
      expect(operationLines(harness.logs)).toStrictEqual([
        expect.objectContaining({ requestId: 'trace-abc.123' }),
      ]);
    });

    it('puts the request id on every error when an operation has several', async () => {
      const response = await harness.graphql(
        {
          query: `{
            a: user(userId: "not-an-id") { userId }
            b: user(userId: "usr_nope") { userId }
          }`,
        },
        { 'x-request-id': 'trace-abc.123' },
      );

      expect(response.body.errors).toHaveLength(2);
      for (const error of response.body.errors) {
        expect(error.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          requestId: 'trace-abc.123',
        });
      }
    });

    it.each([
      ['no caller id', undefined],
      ['a caller id with spaces', 'trace abc'],
      ['a caller id of 200 characters', 'a'.repeat(200)],
      ['a caller id with a backslash escape', 'trace\\nforged-log-line'],
      ['a caller id with a slash', 'trace/abc'],
    ])(
      'replaces %s with one UUID in the header, upstream and the log line',
      async (_case, given) => {
        const response = await getUser(given === undefined ? {} : { 'x-request-id': given });

        expect(response.body.errors).toBeUndefined();
        const requestId = response.headers.get('x-request-id');
        expect(requestId).toMatch(UUID);
        expect(harness.demo.requests).toHaveLength(1);
        expect(harness.demo.requests[0].headers['x-request-id']).toBe(requestId);
        expect(operationLines(harness.logs)).toStrictEqual([
          expect.objectContaining({ requestId }),
        ]);
      },
    );

    it('makes a different id for each request', async () => {
      const first = await getUser();
      const second = await getUser();

      expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
    });

    it.each([
      ['keeps', { 'x-request-id': 'trace-abc.123' }],
      ['makes', {}],
    ])('%s the request id on an HTTP 413 for a body over 100 000 bytes', async (_verb, headers) => {
      const body = JSON.stringify({
        query: '{ __typename }',
        variables: { padding: 'x'.repeat(100_001) },
      });

      const response = await postGraphQL(harness.gateway.url, body, headers);

      expect(response.status).toBe(413);
      const requestId = response.headers.get('x-request-id');
      expect(requestId).toMatch('x-request-id' in headers ? /^trace-abc\.123$/ : UUID);
      expect(response.body.errors).toStrictEqual([
        {
          message: expect.any(String),
          extensions: { code: 'PAYLOAD_TOO_LARGE', requestId },
        },
      ]);
      expectUpstreamCalls(harness.demo, []);
    });

    it('keeps the request id on an HTTP 400 for a body that is not JSON', async () => {
      const response = await postGraphQL(harness.gateway.url, '{"query": ', {
        'x-request-id': 'trace-abc.123',
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('x-request-id')).toBe('trace-abc.123');
      expect(response.body.errors[0].extensions).toStrictEqual({
        code: 'BAD_REQUEST',
        requestId: 'trace-abc.123',
      });
    });

    describe('when the router secret is missing', () => {
      let guarded: Harness;
      beforeAll(async () => {
        guarded = await startHarness({ routerSecret: 's' });
      });
      afterAll(() => guarded.close());

      it.each([
        ['keeps', { 'x-request-id': 'trace-abc.123' }],
        ['makes', {}],
      ])('%s the request id on the HTTP 401', async (_verb, headers) => {
        const response = await guarded.graphql(
          { query: GET_USER, variables: { userId: SEED_USER_ID } },
          headers,
        );

        expect(response.status).toBe(401);
        const requestId = response.headers.get('x-request-id');
        expect(requestId).toMatch('x-request-id' in headers ? /^trace-abc\.123$/ : UUID);
        expect(response.body.errors).toStrictEqual([
          { message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', requestId } },
        ]);
        expectUpstreamCalls(guarded.demo, []);
      });
    });
  });

  describe('the operation log line', () => {
    it('is exactly one line naming a successful mutation, its one PATCH and no errors', async () => {
      const response = await updateUser({ firstName: 'Sara' }, { 'x-request-id': 'trace-ok' });

      expect(response.body.errors).toBeUndefined();
      // Strict: a field added to this line (variables, headers, a result) fails the test.
      expect(operationLines(harness.logs)).toStrictEqual([
        {
          level: 30,
          time: expect.any(String),
          service: 'avara-graphql-gateway',
          requestId: 'trace-ok',
          msg: 'operation',
          operationName: 'UpdateUser',
          operationType: 'mutation',
          status: 200,
          durationMs: expect.any(Number),
          upstream: [{ method: 'PATCH', status: 200, attempts: 1, durationMs: expect.any(Number) }],
          errorCodes: [],
          errorCount: 0,
        },
      ]);
    });

    it('counts the attempts of a read retried after a 503', async () => {
      harness.demo.inject({ status: 503 }, { method: 'GET' });

      const response = await getUser();

      expect(response.body.errors).toBeUndefined();
      expect(harness.demo.requests).toHaveLength(2);
      const [line] = operationLines(harness.logs);
      expect(line).toMatchObject({ operationName: 'GetUser', operationType: 'query' });
      expect(line.upstream).toStrictEqual([
        { method: 'GET', status: 200, attempts: 2, durationMs: expect.any(Number) },
      ]);
    });

    it('names the failure and the error code of a PATCH that Avara answered with 500', async () => {
      harness.demo.inject({ status: 500 }, { method: 'PATCH' });

      const response = await updateUser({ firstName: 'Sara' });

      expect(response.body.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
      expect(operationLines(harness.logs)).toStrictEqual([
        expect.objectContaining({
          operationName: 'UpdateUser',
          status: 200,
          errorCodes: ['UPSTREAM_ERROR'],
          errorCount: 1,
          upstream: [
            {
              method: 'PATCH',
              status: 500,
              failure: 'status',
              attempts: 1,
              durationMs: expect.any(Number),
            },
          ],
        }),
      ]);
    });

    it('has BAD_USER_INPUT and no upstream call for a validation error', async () => {
      const response = await updateUser({ phoneNumber: '555-1234' });

      expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expectUpstreamCalls(harness.demo, []);
      expect(operationLines(harness.logs)).toStrictEqual([
        expect.objectContaining({
          operationName: 'UpdateUser',
          operationType: 'mutation',
          errorCodes: ['BAD_USER_INPUT'],
          errorCount: 1,
          upstream: [],
        }),
      ]);
    });

    it('is written for a document that does not parse, with its HTTP status and no type', async () => {
      const response = await harness.graphql({ query: '{ user(' });

      expect(response.status).toBe(400);
      expect(operationLines(harness.logs)).toStrictEqual([
        expect.objectContaining({
          operationName: null,
          operationType: null,
          status: 400,
          errorCodes: ['GRAPHQL_PARSE_FAILED'],
          errorCount: 1,
          upstream: [],
        }),
      ]);
    });
  });
});

describe('masking of unexpected errors', () => {
  const BUG_MESSAGE = 'boom at dr.johnson@hospital.org 5551234567';

  /** An Avara client with a bug of ours in it: every read throws a plain TypeError. */
  const buggyClient: AvaraClient = createBuggyClient(BUG_MESSAGE);

  let gateway: GatewayServer | undefined;
  let logs: string[];
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  async function startBuggyGateway(production: boolean): Promise<GatewayServer> {
    logs = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    });
    return createServer(
      { ...loadConfig({}), port: 0, avaraApiKey: 'gateway-key', production },
      { logger: createLogger('debug', sink), client: buggyClient },
    );
  }

  const getUser = (url: string) =>
    postGraphQL(
      url,
      { query: GET_USER, variables: { userId: SEED_USER_ID } },
      { 'x-request-id': 'trace-bug' },
    );

  it('in production tells the client only "Internal server error", with no stack trace', async () => {
    gateway = await startBuggyGateway(true);

    const response = await getUser(gateway.url);

    expect(response.body.errors).toStrictEqual([
      {
        message: 'Internal server error',
        locations: expect.any(Array),
        path: ['user'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'trace-bug' },
      },
    ]);
    expect(response.text).not.toContain('stacktrace');
    expect(response.text).not.toContain('boom');
    expect(response.text).not.toContain('dr.johnson@hospital.org');
    expect(response.text).not.toContain('5551234567');
  });

  it('in production logs the error in full under the request id, for the operator', async () => {
    gateway = await startBuggyGateway(true);

    await getUser(gateway.url);

    const lines = parseLogs(logs);
    const unexpected = lines.filter((line) => line.msg === 'unexpected error');
    expect(unexpected).toStrictEqual([
      expect.objectContaining({
        level: 50,
        requestId: 'trace-bug',
        err: expect.objectContaining({ type: 'TypeError', stack: expect.any(String) }),
      }),
    ]);
    expect(lines.filter((line) => line.msg === 'operation')).toStrictEqual([
      expect.objectContaining({ requestId: 'trace-bug', errorCodes: ['INTERNAL_SERVER_ERROR'] }),
    ]);
  });

  it('in development keeps the message (and the stack trace) so developers see the bug', async () => {
    gateway = await startBuggyGateway(false);

    const response = await getUser(gateway.url);

    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].message).toBe(BUG_MESSAGE);
    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      requestId: 'trace-bug',
      stacktrace: expect.arrayContaining([expect.stringContaining('TypeError')]),
    });
  });
});
