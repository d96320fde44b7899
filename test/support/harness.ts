/**
 * The real gateway against the real (fake) Avara HTTP server, both on loopback port 0.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, expect } from '@jest/globals';
import { loadConfig, type Config } from '../../src/config.js';
import { startDemoAvara, type DemoAvara, type RecordedRequest } from '../../src/demo/server.js';
import { createLogger } from '../../src/logger.js';
import { createServer, type GatewayServer } from '../../src/server.js';

/** The gateway's own key in tests; asserted never to leak. */
export const GATEWAY_API_KEY = 'gateway-key-9f8e7d6c5b4a';

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads of arbitrary JSON
  body: any;
}

export interface Harness {
  demo: DemoAvara;
  gateway: GatewayServer;
  config: Config;
  /** Every log line the gateway wrote, as text. */
  logs: string[];
  graphql(
    request: { query: string; variables?: Record<string, unknown>; operationName?: string },
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

/** Every field of `User`, for selections that check the whole mapping. */
export const ALL_USER_FIELDS = `userId email firstName middleName lastName suffix1 suffix2 phoneNumber
    clinicRole clinicRoleLabel level canManageStudies hasDashboardAccess invitedSource
    createdAt lastLoginAt`;

/**
 * One harness for a test file: started before all tests, reset (seed users, no faults, no recorded
 * requests) before each, closed after all.
 */
export function useHarness(overrides: Partial<Config> = {}): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(overrides);
  });
  beforeEach(() => harness?.demo.reset());
  afterAll(() => harness?.close());
  return () => {
    if (!harness) throw new Error('the harness is used outside a test');
    return harness;
  };
}

export async function startHarness(overrides: Partial<Config> = {}): Promise<Harness> {
  const demo = await startDemoAvara();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const config: Config = {
    // Read with the upstream set, as a deployment is: CORS closed unless a test opens it.
    ...loadConfig({ AVARA_BASE_URL: demo.url }),
    port: 0,
    avaraBaseUrl: demo.url,
    avaraApiKey: GATEWAY_API_KEY,
    avaraTimeoutMs: 2_000,
    avaraRetryBaseDelayMs: 1,
    avaraRetryMaxDelayMs: 5,
    logLevel: 'debug',
    // Failure tests hammer one gateway; only the breaker's and the budget's own tests let them
    // bind: a circuit that never sees enough attempts, a reserve no test can spend.
    avaraBreakerMinAttempts: 1_000_000,
    avaraRetryBudgetMinPerSecond: 100_000,
    ...overrides,
  };
  const gateway = await createServer(config, { logger: createLogger(config.logLevel, sink) });

  return {
    demo,
    gateway,
    config,
    logs,
    graphql: (request, headers = {}) => postGraphQL(gateway.url, request, headers),
    async close() {
      await gateway.close();
      await demo.close();
    },
  };
}

export async function postGraphQL(
  url: string,
  request: object | string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof request === 'string' ? request : JSON.stringify(request),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** What one upstream call must have looked like. */
export interface ExpectedCall {
  method: 'GET' | 'PATCH' | 'POST';
  /** The path without its query string. */
  path: string;
  /** The query's parameters, decoded, in the order sent; omit for none. */
  query?: Record<string, string>;
  /** Exact JSON body (keys present or absent as given); omit for GET. */
  body?: unknown;
  /** Headers that must be present with these values. */
  headers?: Record<string, string>;
}

/** A recorded request's path split into its path and its decoded query, in order. */
export function splitPath(path: string): { path: string; query: [string, string][] } {
  const start = path.indexOf('?');
  if (start === -1) return { path, query: [] };
  return { path: path.slice(0, start), query: [...new URLSearchParams(path.slice(start + 1))] };
}

/**
 * Fails unless Avara received exactly these calls, in order: the upstream side of a test, so a
 * call that never happened (or an extra one) fails it.
 */
export function expectUpstreamCalls(demo: DemoAvara, expected: readonly ExpectedCall[]): void {
  const seen = demo.requests.map((request: RecordedRequest) => ({
    method: request.method,
    ...splitPath(request.path),
    ...(request.method === 'GET' ? {} : { body: request.body }),
  }));
  expect(seen).toStrictEqual(
    expected.map(({ method, path, query = {}, body }) => ({
      method,
      path,
      query: Object.entries(query),
      ...(method === 'GET' ? {} : { body }),
    })),
  );
  expected.forEach(({ headers = {} }, index) => {
    for (const [name, value] of Object.entries(headers)) {
      expect(demo.requests[index]?.headers[name]).toBe(value);
    }
  });
}

export const userPath = (userId: string) => `/v1/viewer/users/${userId}`;
export const invitationPath = (invitationId: string) =>
  `/v1/viewer/users/invitations/${invitationId}`;
