/**
 * Traces as an operator's collector receives them: the real gateway exports over OTLP/HTTP to an
 * in-process receiver on loopback, in both protocols, against the real fake Avara.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { OtlpProtocol } from '../../src/config.js';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { startTracing } from '../../src/observability/tracing.js';
import {
  SPAN_KIND,
  STATUS_CODE,
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '../support/otlp-receiver.js';
import { GATEWAY_API_KEY, startHarness, userPath, type Harness } from '../support/harness.js';

const GET_USER = `query GetUser($userId: ID!) { user(userId: $userId) { userId firstName } }`;
const UPDATE_USER = `mutation UpdateUser($userId: ID!, $input: UserPatchInput!) {
  updateUser(userId: $userId, input: $input) { userId firstName }
}`;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A router's outgoing request: its own span is the parent of ours. */
function routerTraceparent(sampled = true) {
  const traceId = hex(16);
  const parentId = hex(8);
  return { traceId, parentId, header: `00-${traceId}-${parentId}-${sampled ? '01' : '00'}` };
}

/** The spans of one trace, once its server span (ended last, after the response) has arrived. */
async function traceOf(receiver: OtlpReceiver, traceId: string): Promise<ReceivedSpan[]> {
  const spans = await receiver.waitFor((all) =>
    all.some((span) => span.traceId === traceId && span.kind === SPAN_KIND.SERVER),
  );
  return spans.filter((span) => span.traceId === traceId);
}

function only(spans: readonly ReceivedSpan[], kind: number): ReceivedSpan {
  const found = spans.filter((span) => span.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as ReceivedSpan;
}

function operationLine(harness: Harness): Record<string, unknown> {
  const lines = harness.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === 'operation');
  expect(lines).toHaveLength(1);
  return lines[0] as Record<string, unknown>;
}

describe.each<OtlpProtocol>(['http/protobuf', 'http/json'])('tracing over %s', (protocol) => {
  let receiver: OtlpReceiver;
  let harness: Harness;
  let avaraPort: number;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    harness = await startHarness({
      otelExporterOtlpEndpoint: receiver.url,
      otelExporterOtlpProtocol: protocol,
      otelServiceName: 'users-subgraph',
      otelBspScheduleDelayMs: 5,
      avaraTimeoutMs: 300, // the timeout case waits this long
    });
    avaraPort = Number(new URL(harness.demo.url).port);
  });
  afterAll(async () => {
    await harness.close();
    await receiver.close();
  });
  beforeEach(() => {
    harness.demo.reset();
    harness.logs.length = 0;
  });

  const clientAttributes = (method: string, status: number, resendCount: number) => ({
    'http.request.method': method,
    'http.response.status_code': status,
    'http.request.resend_count': resendCount,
    'server.address': '127.0.0.1',
    'server.port': avaraPort,
    'url.full': `${harness.demo.url}${userPath(SEED_USER_ID)}`,
  });

  it("continues the router's trace from the server span down to the Avara attempt, which Avara sees as its parent", async () => {
    const router = routerTraceparent();

    const response = await harness.graphql(
      { query: GET_USER, variables: { userId: SEED_USER_ID } },
      { traceparent: router.header },
    );

    expect(response.body.errors).toBeUndefined();
    const spans = await traceOf(receiver, router.traceId);
    expect(spans).toHaveLength(3);
    const server = only(spans, SPAN_KIND.SERVER);
    const operation = only(spans, SPAN_KIND.INTERNAL);
    const client = only(spans, SPAN_KIND.CLIENT);

    expect(server).toMatchObject({
      parentSpanId: router.parentId,
      name: 'POST /graphql',
      status: { code: STATUS_CODE.UNSET },
      resource: expect.objectContaining({ 'service.name': 'users-subgraph' }),
      contentType: protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
    });
    // Strict: a header value, a variable or a body among the attributes fails the test.
    expect(server.attributes).toStrictEqual({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'http.route': '/graphql',
      'url.path': '/graphql',
      'url.scheme': 'http',
    });
    expect(operation).toMatchObject({ parentSpanId: server.spanId, name: 'query GetUser' });
    expect(operation.attributes).toStrictEqual({
      'graphql.operation.name': 'GetUser',
      'graphql.operation.type': 'query',
    });
    expect(client).toMatchObject({
      parentSpanId: operation.spanId,
      name: 'GET',
      status: { code: STATUS_CODE.UNSET },
    });
    expect(client.attributes).toStrictEqual(clientAttributes('GET', 200, 0));

    expect(harness.demo.requests).toHaveLength(1);
    expect(harness.demo.requests[0]?.headers.traceparent).toBe(
      `00-${router.traceId}-${client.spanId}-01`,
    );
    expect(operationLine(harness)).toMatchObject({
      trace_id: router.traceId,
      span_id: operation.spanId,
    });
    expect(receiver.paths.every((path) => path === '/v1/traces')).toBe(true);
  });

  it('makes an updateUser retried after a 503 two client spans, resend_count 0 and 1, each the parent of its own request', async () => {
    harness.demo.inject({ status: 503 }, { method: 'PATCH' });
    const router = routerTraceparent();

    const response = await harness.graphql(
      {
        query: UPDATE_USER,
        variables: {
          userId: SEED_USER_ID,
          input: { firstName: 'Sara', phoneNumber: '5550001111' },
        },
      },
      { traceparent: router.header, authorization: `Bearer ${GATEWAY_API_KEY}` },
    );

    expect(response.body.errors).toBeUndefined();
    const spans = await traceOf(receiver, router.traceId);
    expect(spans).toHaveLength(4);
    const operation = only(spans, SPAN_KIND.INTERNAL);
    expect(operation).toMatchObject({ name: 'mutation UpdateUser' });
    const clients = spans
      .filter((span) => span.kind === SPAN_KIND.CLIENT)
      .sort(
        (a, b) =>
          Number(a.attributes['http.request.resend_count']) -
          Number(b.attributes['http.request.resend_count']),
      );
    expect(clients.map((span) => span.parentSpanId)).toStrictEqual([
      operation.spanId,
      operation.spanId,
    ]);
    expect(clients[0]?.attributes).toStrictEqual({
      ...clientAttributes('PATCH', 503, 0),
      'error.type': 'UPSTREAM_UNAVAILABLE',
    });
    expect(clients[0]?.status).toStrictEqual({
      code: STATUS_CODE.ERROR,
      message: 'UPSTREAM_UNAVAILABLE',
    });
    expect(clients[1]?.attributes).toStrictEqual(clientAttributes('PATCH', 200, 1));
    expect(clients[1]?.status.code).toBe(STATUS_CODE.UNSET);
    expect(operation.status.code).toBe(STATUS_CODE.UNSET);

    expect(harness.demo.requests.map((request) => request.headers.traceparent)).toStrictEqual(
      clients.map((span) => `00-${router.traceId}-${span.spanId}-01`),
    );
    // No credential, variable or personal data in any span.
    const exported = JSON.stringify(spans);
    for (const secret of [GATEWAY_API_KEY, 'Bearer', 'Sara', '5550001111', 'firstName']) {
      expect(exported).not.toContain(secret);
    }
  });

  it("marks a failed PATCH's client span and operation span with the gateway's error code", async () => {
    harness.demo.inject({ status: 500 }, { method: 'PATCH' });
    const router = routerTraceparent();

    const response = await harness.graphql(
      { query: UPDATE_USER, variables: { userId: SEED_USER_ID, input: { firstName: 'Sara' } } },
      { traceparent: router.header },
    );

    expect(response.body.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
    const spans = await traceOf(receiver, router.traceId);
    expect(spans).toHaveLength(3);
    const client = only(spans, SPAN_KIND.CLIENT);
    expect(client.attributes).toStrictEqual({
      ...clientAttributes('PATCH', 500, 0),
      'error.type': 'UPSTREAM_ERROR',
    });
    expect(client.status).toStrictEqual({ code: STATUS_CODE.ERROR, message: 'UPSTREAM_ERROR' });
    const operation = only(spans, SPAN_KIND.INTERNAL);
    expect(operation.attributes).toMatchObject({ 'error.type': 'UPSTREAM_ERROR' });
    expect(operation.status).toStrictEqual({ code: STATUS_CODE.ERROR, message: 'UPSTREAM_ERROR' });
    // The HTTP request itself succeeded: GraphQL errors travel in a 200.
    expect(only(spans, SPAN_KIND.SERVER).status.code).toBe(STATUS_CODE.UNSET);
  });

  it('records a timeout as a client span without a status code and with UPSTREAM_TIMEOUT', async () => {
    harness.demo.inject({ delayMs: 1_000 }, { method: 'PATCH' });
    const router = routerTraceparent();

    const response = await harness.graphql(
      { query: UPDATE_USER, variables: { userId: SEED_USER_ID, input: { firstName: 'Sara' } } },
      { traceparent: router.header },
    );

    expect(response.body.errors[0].extensions.code).toBe('UPSTREAM_TIMEOUT');
    const client = only(await traceOf(receiver, router.traceId), SPAN_KIND.CLIENT);
    const expected: Record<string, unknown> = clientAttributes('PATCH', 0, 0);
    delete expected['http.response.status_code']; // no answer, so no status
    expect(client.attributes).toStrictEqual({ ...expected, 'error.type': 'UPSTREAM_TIMEOUT' });
  });

  it.each([
    ['no traceparent', undefined],
    ['a malformed traceparent', '00-not-a-trace-01'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${hex(8)}-01`],
    ['a traceparent of 8 000 characters', `00-${'a'.repeat(8_000)}`],
    ['a version the gateway does not know, ff', `ff-${hex(16)}-${hex(8)}-01`],
  ])(
    'starts a new trace for %s, and still sends Avara a traceparent of it',
    async (_case, given) => {
      const response = await harness.graphql(
        { query: GET_USER, variables: { userId: SEED_USER_ID } },
        given === undefined ? {} : { traceparent: given },
      );

      expect(response.body.errors).toBeUndefined();
      const { trace_id: traceId } = operationLine(harness) as { trace_id: string };
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceId).not.toBe('0'.repeat(32));
      const spans = await traceOf(receiver, traceId);
      expect(only(spans, SPAN_KIND.SERVER).parentSpanId).toBe('');
      const client = only(spans, SPAN_KIND.CLIENT);
      expect(harness.demo.requests[0]?.headers.traceparent).toBe(
        `00-${traceId}-${client.spanId}-01`,
      );
    },
  );

  it('names an operation span that never resolved by its error, under a 400 server span', async () => {
    const router = routerTraceparent();

    const response = await harness.graphql({ query: '{ user(' }, { traceparent: router.header });

    expect(response.status).toBe(400);
    const spans = await traceOf(receiver, router.traceId);
    expect(spans).toHaveLength(2);
    expect(only(spans, SPAN_KIND.INTERNAL)).toMatchObject({
      name: 'GraphQL operation',
      attributes: { 'error.type': 'GRAPHQL_PARSE_FAILED' },
      status: { code: STATUS_CODE.ERROR },
    });
    expect(only(spans, SPAN_KIND.SERVER).attributes['http.response.status_code']).toBe(400);
  });

  it("follows a router's decision not to sample: nothing exported, Avara still told the trace (unsampled)", async () => {
    const unsampled = routerTraceparent(false);
    await harness.graphql(
      { query: GET_USER, variables: { userId: SEED_USER_ID } },
      { traceparent: unsampled.header },
    );
    const traceparentSent = harness.demo.requests[0]?.headers.traceparent;
    const sampled = routerTraceparent();
    await harness.graphql(
      { query: GET_USER, variables: { userId: SEED_USER_ID } },
      { traceparent: sampled.header },
    );

    // The sampled request's spans were queued after any the first could have made.
    await traceOf(receiver, sampled.traceId);
    expect(receiver.spans.filter((span) => span.traceId === unsampled.traceId)).toStrictEqual([]);
    expect(traceparentSent).toMatch(new RegExp(`^00-${unsampled.traceId}-[0-9a-f]{16}-00$`));
  });

  it.each([
    [
      'passes a router tracestate on to Avara',
      'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
      'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
    ],
    [
      'keeps at most 512 characters of a hostile tracestate',
      Array.from({ length: 400 }, (_, i) => `k${i}=${'v'.repeat(20)}`).join(','),
      undefined,
    ],
  ])('%s', async (_case, tracestate, expected) => {
    const router = routerTraceparent();

    const response = await harness.graphql(
      { query: GET_USER, variables: { userId: SEED_USER_ID } },
      { traceparent: router.header, tracestate },
    );

    expect(response.body.errors).toBeUndefined();
    const sent = harness.demo.requests[0]?.headers.tracestate;
    if (expected !== undefined) expect(sent).toBe(expected);
    expect(String(sent ?? '').length).toBeLessThanOrEqual(512);
    expect(harness.demo.requests[0]?.headers.traceparent).toMatch(
      new RegExp(`^00-${router.traceId}-[0-9a-f]{16}-01$`),
    );
  });

  it('ends the server span of a caller that left before the answer as aborted, without a status', async () => {
    harness.demo.inject({ delayMs: 200 }, { method: 'GET' });
    const router = routerTraceparent();
    const leaving = new AbortController();

    const request = harness.gateway.url;
    const sent = fetch(request, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: router.header },
      body: JSON.stringify({ query: GET_USER, variables: { userId: SEED_USER_ID } }),
      signal: leaving.signal,
    }).catch((error: unknown) => error);
    await harness.demo.waitForRequests(1);
    leaving.abort();
    await sent;

    const server = only(await traceOf(receiver, router.traceId), SPAN_KIND.SERVER);
    expect(server.attributes['http.response.status_code']).toBeUndefined();
    expect(server.attributes['error.type']).toBe('aborted');
    expect(server.status.code).toBe(STATUS_CODE.ERROR);
  });

  it('records a list call with a filter as url.full without its query string', async () => {
    const router = routerTraceparent();
    const email = 'sarah.johnson@example.com';

    const response = await harness.graphql(
      { query: `{ users(first: 5, filter: { email: "${email}" }) { nodes { userId } } }` },
      { traceparent: router.header },
    );

    expect(response.body.errors).toBeUndefined();
    expect(harness.demo.requests[0]?.path).toContain('?');
    const client = only(await traceOf(receiver, router.traceId), SPAN_KIND.CLIENT);
    expect(client.attributes['url.full']).toBe(`${harness.demo.url}/v1/viewer/users`);
    expect(JSON.stringify(client)).not.toContain('sarah');
  });

  it('does not name a path the gateway does not serve', async () => {
    const router = routerTraceparent();

    const response = await fetch(new URL('/users/dr.johnson@hospital.org', harness.gateway.url), {
      headers: { traceparent: router.header },
    });

    expect(response.status).toBe(404);
    const server = only(await traceOf(receiver, router.traceId), SPAN_KIND.SERVER);
    expect(server.name).toBe('GET');
    expect(JSON.stringify(server)).not.toContain('johnson');
  });
});

describe('tracing with a broken collector', () => {
  it.each<[string, () => Promise<{ url: string; close(): Promise<void> }>]>([
    [
      'refuses connections',
      async () => ({ url: 'http://127.0.0.1:9', close: async () => undefined }),
    ],
    [
      'accepts and never answers',
      async () => {
        const sockets = new Set<Socket>();
        const server = createServer((socket) => {
          sockets.add(socket); // reads nothing, answers nothing
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const { port } = server.address() as AddressInfo;
        return {
          url: `http://127.0.0.1:${port}`,
          close: async () => {
            for (const socket of sockets) socket.destroy();
            await new Promise((resolve) => server.close(resolve));
          },
        };
      },
    ],
  ])('keeps serving, and still stops in time, when the collector %s', async (_case, start) => {
    const collector = await start();
    const harness = await startHarness({
      otelExporterOtlpEndpoint: collector.url,
      otelBspScheduleDelayMs: 1,
    });
    try {
      for (let i = 0; i < 3; i++) {
        const response = await harness.graphql({
          query: GET_USER,
          variables: { userId: SEED_USER_ID },
        });
        expect(response.body.errors).toBeUndefined();
      }
      expect(harness.demo.requests.map((request) => request.headers.traceparent)).toStrictEqual([
        expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
        expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
        expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
      ]);
    } finally {
      // Within Jest's 20 s: the exporter's own timeouts would not be.
      await harness.close();
      await collector.close();
    }
  });
});

describe('client spans of calls with a query string', () => {
  it('record url.full without the query, which may carry filters of personal data', async () => {
    const receiver = await startOtlpReceiver();
    const tracing = await startTracing({
      url: `${receiver.url}/v1/traces`,
      protocol: 'http/json',
      serviceName: 'probe',
      sampler: 'always_on',
      samplerRatio: 1,
      scheduledDelayMs: 1,
      avaraBaseUrl: 'https://api.avara.example/base/',
    });
    try {
      const span = tracing?.startClientSpan({
        method: 'GET',
        path: 'users?email=dr.johnson%40hospital.org&first=20',
        resendCount: 0,
        traceContext: undefined,
      });
      span?.end({ status: 200 });
      await tracing?.shutdown();

      expect(receiver.spans).toHaveLength(1);
      expect(receiver.spans[0]?.attributes).toMatchObject({
        'url.full': 'https://api.avara.example/base/v1/viewer/users',
        'server.address': 'api.avara.example',
        'server.port': 443,
      });
      expect(JSON.stringify(receiver.spans)).not.toContain('johnson');
    } finally {
      await receiver.close();
    }
  });
});
