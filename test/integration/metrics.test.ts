/**
 * `GET /metrics` as Prometheus scrapes it, from the real gateway against the real fake Avara: the
 * contract's names and types, counts that move by exactly the traffic sent, and label values that
 * no caller can choose.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { OPERATION_CODES, OPERATION_TYPES } from '../../src/observability/labels.js';
import { expectUpstreamCalls, startHarness, userPath, type Harness } from '../support/harness.js';
import { scrape, seriesOf, valueOf, type Scrape } from '../support/prometheus.js';

const GET_USER = `query GetUser($userId: ID!) { user(userId: $userId) { userId firstName } }`;
const UPDATE_USER = `mutation UpdateUser($userId: ID!, $input: UserPatchInput!) {
  updateUser(userId: $userId, input: $input) { userId firstName }
}`;
const UNKNOWN_USER_ID = `usr_${'0'.repeat(32)}`;
const ROUTER_SECRET = 'router-secret-for-metrics';

/** Closed label sets of the contract's metrics; a value outside them fails the scrape. */
const LABEL_VALUES: Record<string, (value: string) => boolean> = {
  http_request_method: (value) =>
    ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'OTHER'].includes(value),
  http_response_status_code: (value) => /^[1-5]\d\d$/.test(value) || value === 'OTHER',
  operation_type: (value) => OPERATION_TYPES.has(value) || value === 'OTHER',
  code: (value) => OPERATION_CODES.has(value) || value === 'OTHER',
  error_type: (value) => ['timeout', 'refused', 'lost', 'internal'].includes(value),
  le: (value) => value === '+Inf' || Number.isFinite(Number(value)),
};
const CONTRACT_METRICS = [
  'http_server_request_duration_seconds',
  'http_client_request_duration_seconds',
  'avara_gateway_operations_total',
  'avara_gateway_upstream_retries_total',
  'avara_gateway_circuit_state',
];

describe('GET /metrics', () => {
  let harness: Harness;
  let metricsUrl: URL;
  const scrapeNow = () => scrape(metricsUrl);
  beforeAll(async () => {
    // With the router secret set, /metrics must still answer without Router-Authorization.
    harness = await startHarness({ routerSecret: ROUTER_SECRET });
    metricsUrl = new URL('/metrics', harness.gateway.url);
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.demo.reset());

  const asRouter = { 'router-authorization': ROUTER_SECRET };
  const getUser = (userId: string, operationName = 'GetUser') =>
    harness.graphql(
      { query: GET_USER.replace('GetUser', operationName), variables: { userId } },
      asRouter,
    );
  const updateUser = (input: Record<string, unknown>) =>
    harness.graphql({ query: UPDATE_USER, variables: { userId: SEED_USER_ID, input } }, asRouter);

  it('answers in the Prometheus text format with no upstream call and no Router-Authorization', async () => {
    const scraped = await scrapeNow();

    expect(scraped.status).toBe(200);
    expect(scraped.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expectUpstreamCalls(harness.demo, []);
  });

  it.each([
    ['http_server_request_duration_seconds', 'histogram'],
    ['http_client_request_duration_seconds', 'histogram'],
    ['avara_gateway_operations_total', 'counter'],
    ['avara_gateway_upstream_retries_total', 'counter'],
    ['avara_gateway_circuit_state', 'gauge'],
    ['process_resident_memory_bytes', 'gauge'],
    ['nodejs_eventloop_lag_seconds', 'gauge'],
    ['nodejs_gc_duration_seconds', 'histogram'],
    ['nodejs_heap_size_used_bytes', 'gauge'],
  ])('serves %s as a %s', async (name, type) => {
    const scraped = await scrapeNow();

    expect(scraped.types.get(name)).toBe(type);
  });

  it('reads the circuit breaker as closed (0) on a healthy gateway', async () => {
    expect(valueOf(await scrapeNow(), 'avara_gateway_circuit_state')).toBe(0);
  });

  it('moves every counter by exactly the operations and attempts sent', async () => {
    const before = await scrapeNow();

    // 4 queries (one of an unknown user: null, no error), 6 mutations, 1 document that does not parse.
    for (let i = 0; i < 3; i++) expect((await getUser(SEED_USER_ID)).body.errors).toBeUndefined();
    expect((await getUser(UNKNOWN_USER_ID)).body.data.user).toBeNull();
    expect((await updateUser({ firstName: 'Sara' })).body.errors).toBeUndefined();
    harness.demo.inject({ status: 503 }, { method: 'PATCH' });
    expect((await updateUser({ firstName: 'Sarah' })).body.errors).toBeUndefined();
    harness.demo.inject({ status: 500 }, { method: 'PATCH' });
    expect((await updateUser({ firstName: 'Sara' })).body.errors[0].extensions.code).toBe(
      'UPSTREAM_ERROR',
    );
    harness.demo.inject({ status: 503 }, { method: 'PATCH', times: 3 });
    expect((await updateUser({ firstName: 'Sara' })).body.errors[0].extensions.code).toBe(
      'UPSTREAM_UNAVAILABLE',
    );
    expect((await updateUser({ phoneNumber: '12' })).body.errors[0].extensions.code).toBe(
      'BAD_USER_INPUT',
    );
    harness.demo.inject({ status: 403 }, { method: 'PATCH' });
    expect((await updateUser({ firstName: 'Sara' })).body.errors[0].extensions.code).toBe(
      'FORBIDDEN',
    );
    expect((await harness.graphql({ query: '{ user(' }, asRouter)).status).toBe(400);
    // Refused before GraphQL: an HTTP request, not an operation.
    expect((await harness.graphql({ query: GET_USER })).status).toBe(401);

    const after = await scrapeNow();
    const delta = (name: string, labels: Record<string, string>) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    const operations = (operation_type: string, code: string) =>
      delta('avara_gateway_operations_total', { operation_type, code });
    const attempts = (method: string, status: string) =>
      delta('http_client_request_duration_seconds_count', {
        http_request_method: method,
        http_response_status_code: status,
      });
    const requests = (method: string, status: string) =>
      delta('http_server_request_duration_seconds_count', {
        http_request_method: method,
        http_response_status_code: status,
      });

    expect({
      queryOk: operations('query', 'OK'),
      mutationOk: operations('mutation', 'OK'),
      upstreamError: operations('mutation', 'UPSTREAM_ERROR'),
      unavailable: operations('mutation', 'UPSTREAM_UNAVAILABLE'),
      badInput: operations('mutation', 'BAD_USER_INPUT'),
      forbidden: operations('mutation', 'FORBIDDEN'),
      parseFailed: operations('none', 'GRAPHQL_PARSE_FAILED'),
      unauthenticated: operations('query', 'UNAUTHENTICATED'),
    }).toStrictEqual({
      queryOk: 4,
      mutationOk: 2,
      upstreamError: 1,
      unavailable: 1,
      badInput: 1,
      forbidden: 1,
      parseFailed: 1,
      unauthenticated: 0,
    });
    expect({
      get200: attempts('GET', '200'),
      get404: attempts('GET', '404'),
      patch200: attempts('PATCH', '200'),
      patch503: attempts('PATCH', '503'),
      patch500: attempts('PATCH', '500'),
      patch403: attempts('PATCH', '403'),
    }).toStrictEqual({ get200: 3, get404: 1, patch200: 2, patch503: 4, patch500: 1, patch403: 1 });
    // One retry after the single 503, two after the three (AVARA_MAX_RETRIES = 2).
    expect(delta('avara_gateway_upstream_retries_total', { http_request_method: 'PATCH' })).toBe(3);
    expect(delta('avara_gateway_upstream_retries_total', { http_request_method: 'GET' })).toBe(0);
    expect({
      post200: requests('POST', '200'),
      post400: requests('POST', '400'),
      post401: requests('POST', '401'),
      get200: requests('GET', '200'), // the first scrape
    }).toStrictEqual({ post200: 10, post400: 1, post401: 1, get200: 1 });
    expect(harness.demo.requests).toHaveLength(12);
  });

  it('records an attempt that got no answer without a status code, by why', async () => {
    const before = await scrapeNow();
    harness.demo.inject({ drop: true }, { method: 'PATCH' });

    const response = await updateUser({ firstName: 'Sara' });

    expect(response.body.errors[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    const after = await scrapeNow();
    const labels = { http_request_method: 'PATCH', error_type: 'lost' };
    expect(
      valueOf(after, 'http_client_request_duration_seconds_count', labels) -
        valueOf(before, 'http_client_request_duration_seconds_count', labels),
    ).toBe(1);
  });

  it('gives the contract metrics only label values from their closed sets', async () => {
    await getUser(SEED_USER_ID);
    const propfind = await fetch(new URL('/graphql', harness.gateway.url), { method: 'PROPFIND' });

    const scraped = await scrapeNow();

    const contract = scraped.samples.filter((sample) =>
      CONTRACT_METRICS.some((name) => sample.name.startsWith(name)),
    );
    expect(contract.length).toBeGreaterThan(0);
    for (const { name, labels } of contract) {
      for (const [label, value] of Object.entries(labels)) {
        expect({
          name,
          label,
          value,
          allowed: LABEL_VALUES[label]?.(value) ?? false,
        }).toMatchObject({ allowed: true });
      }
    }
    expect(
      valueOf(scraped, 'http_server_request_duration_seconds_count', {
        http_request_method: 'OTHER',
        http_response_status_code: String(propfind.status),
      }),
    ).toBe(1);
  });

  it('adds no series for 1 000 operations with distinct names, ids, request ids and made-up codes', async () => {
    /** One of each shape the loop sends, so every series the shapes can make exists before. */
    const sendShapes = async (i: number) => {
      const name = `Op_${i}_${randomBytes(4).toString('hex')}`;
      const userId = `usr_${randomBytes(16).toString('hex')}`;
      const requestId = { 'x-request-id': `req-${i}-${randomBytes(4).toString('hex')}` };
      await Promise.all([
        getUser(userId, name), // Avara answers 404: null
        harness.graphql({ query: `query ${name} { __typename }` }, { ...asRouter, ...requestId }),
        harness.graphql(
          { query: `query ${name} { user(userId: "${name}") { userId } }` },
          asRouter,
        ),
        harness.graphql({ query: `{ ${name} }` }, asRouter), // unknown field: validation failed
        harness.graphql({ query: `query A { __typename }`, operationName: name }, asRouter),
      ]);
    };
    await sendShapes(0);
    const before = seriesOf(await scrapeNow());

    for (let i = 1; i <= 200; i++) await sendShapes(i);

    const after = seriesOf(await scrapeNow());
    const added = [...after].filter((series) => !before.has(series));
    // Only prom-client's own runtime series may come and go (a GC kind seen for the first time).
    expect(added.filter((series) => !series.startsWith('nodejs_'))).toStrictEqual([]);
    expect(harness.demo.requests.length).toBeGreaterThanOrEqual(200);
  });
});

describe('avara_gateway_circuit_state', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ avaraBreakerMinAttempts: 2, avaraMaxRetries: 0 });
  });
  afterAll(() => harness.close());

  const circuit = async () =>
    ((await (await fetch(new URL('/health', harness.gateway.url))).json()) as { circuit: string })
      .circuit;

  it('is read from the breaker at scrape time: 2 once Avara failing has opened it', async () => {
    const metricsUrl = new URL('/metrics', harness.gateway.url);
    expect(valueOf(await scrape(metricsUrl), 'avara_gateway_circuit_state')).toBe(0);
    harness.demo.inject({ status: 500 }, { method: 'GET', times: Infinity });

    // Bounded: the breaker opens after a few failures; each failure is one GET.
    for (let i = 0; i < 50 && (await circuit()) !== 'open'; i++) {
      await harness.graphql({ query: GET_USER, variables: { userId: SEED_USER_ID } });
    }

    expect(await circuit()).toBe('open');
    const scraped: Scrape = await scrape(metricsUrl);
    expect(valueOf(scraped, 'avara_gateway_circuit_state')).toBe(2);
    expect(
      valueOf(scraped, 'avara_gateway_operations_total', {
        operation_type: 'query',
        code: 'UPSTREAM_ERROR',
      }),
    ).toBeGreaterThan(0);
    expectUpstreamCalls(
      harness.demo,
      harness.demo.requests.map(() => ({ method: 'GET', path: userPath(SEED_USER_ID) })),
    );
  });
});

describe('METRICS_ENABLED=false', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ metricsEnabled: false });
  });
  afterAll(() => harness.close());

  it('serves no /metrics and still serves GraphQL', async () => {
    const scraped = await scrape(new URL('/metrics', harness.gateway.url));

    expect(scraped.status).toBe(404);
    const response = await harness.graphql({
      query: GET_USER,
      variables: { userId: SEED_USER_ID },
    });
    expect(response.body.errors).toBeUndefined();
  });
});
