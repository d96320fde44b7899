import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { expectUpstreamCalls, startHarness, type Harness } from '../support/harness.js';

const run = promisify(execFile);

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const aliases = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `u${i}: user(userId: "${SEED_USER_ID}") { userId }`).join(' ')} }`;

describe('the subgraph', () => {
  describe('schema for the registry', () => {
    it('npm run schema:print prints exactly what _service { sdl } serves', async () => {
      harness = await startHarness();
      const served = await harness.graphql({ query: '{ _service { sdl } }' });

      const { stdout } = await run('npm', ['run', '--silent', 'schema:print']);

      expect(stdout).toBe(`${served.body.data._service.sdl}\n`);
      expect(stdout).toContain('type User');
      expect(stdout).toContain('@key(fields: "userId")');
    });
  });

  describe('user-lookup budget', () => {
    it('accepts 100 aliased user fields and collapses them into one GET', async () => {
      harness = await startHarness();

      const response = await harness.graphql({ query: aliases(100) });

      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(harness.demo.requests).toHaveLength(1);
    });

    it('refuses 101 aliased user fields with HTTP 400 and no upstream call', async () => {
      harness = await startHarness();

      const response = await harness.graphql({ query: aliases(101) });

      // With the default MAX_ALIASES (100) the alias limit refuses this first; both are a 400.
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expectUpstreamCalls(harness.demo, []);
    });

    it('refuses 101 aliased user fields by the lookup budget itself when aliases are allowed', async () => {
      harness = await startHarness({ maxAliases: 1_000 });

      const response = await harness.graphql({ query: aliases(101) });

      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions).toMatchObject({
        code: 'GRAPHQL_VALIDATION_FAILED',
        limit: { name: 'userLookups', max: 100, actual: 101 },
      });
      expectUpstreamCalls(harness.demo, []);
    });

    it('counts _entities representations together with user fields', async () => {
      harness = await startHarness();
      const representations = Array.from({ length: 100 }, () => ({
        __typename: 'User',
        userId: SEED_USER_ID,
      }));

      const response = await harness.graphql({
        query: `query ($r: [_Any!]!) {
          _entities(representations: $r) { ... on User { userId } }
          user(userId: "${SEED_USER_ID}") { userId }
        }`,
        variables: { r: representations },
      });

      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions.limit.actual).toBe(101);
      expectUpstreamCalls(harness.demo, []);
    });

    it('follows MAX_USER_LOOKUPS', async () => {
      harness = await startHarness({ maxUserLookups: 2 });

      const accepted = await harness.graphql({ query: aliases(2) });
      const refused = await harness.graphql({ query: aliases(3) });

      expect(accepted.status).toBe(200);
      expect(refused.status).toBe(400);
    });
  });

  describe('an entity representation with a malformed userId', () => {
    it('fails that entity alone with BAD_USER_INPUT and sends nothing for it', async () => {
      harness = await startHarness();

      const response = await harness.graphql({
        query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { userId firstName } } }`,
        variables: {
          r: [
            { __typename: 'User', userId: '..' },
            { __typename: 'User', userId: SEED_USER_ID },
          ],
        },
      });

      expect(response.body.data._entities).toStrictEqual([
        null,
        { userId: SEED_USER_ID, firstName: 'Sarah' },
      ]);
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors[0]).toMatchObject({
        path: ['_entities', 0],
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(harness.demo.requests.map((r) => r.path)).toStrictEqual([
        `/v1/viewer/users/${SEED_USER_ID}`,
      ]);
    });
  });

  describe('ROUTER_SECRET', () => {
    it.each([
      ['no Router-Authorization header', {}],
      ['a wrong secret', { 'router-authorization': 'guess' }],
      ['the secret with a suffix', { 'router-authorization': 'r0uter-s3cret!' }],
    ])('refuses a request with %s with 401 before any GraphQL runs', async (_case, headers) => {
      harness = await startHarness({ routerSecret: 'r0uter-s3cret' });

      const response = await harness.graphql(
        { query: `{ user(userId: "${SEED_USER_ID}") { userId } }` },
        headers,
      );

      expect(response.status).toBe(401);
      expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(response.text).not.toContain('r0uter-s3cret');
      expectUpstreamCalls(harness.demo, []);
    });

    it('answers its router, and /health stays open', async () => {
      harness = await startHarness({ routerSecret: 'r0uter-s3cret' });

      const response = await harness.graphql(
        { query: `{ user(userId: "${SEED_USER_ID}") { userId } }` },
        { 'router-authorization': 'r0uter-s3cret' },
      );
      const health = await fetch(new URL('/health', harness.gateway.url));

      expect(response.body).toStrictEqual({ data: { user: { userId: SEED_USER_ID } } });
      expect(health.status).toBe(200);
    });
  });

  describe('introspection and the Sandbox landing page', () => {
    const INTROSPECTION = '{ __schema { queryType { name } } }';
    const landingPage = (url: string) => fetch(url, { headers: { accept: 'text/html' } });

    it('serves Sandbox with the example operations, and introspection, when enabled', async () => {
      harness = await startHarness({ introspection: true });

      const page = await landingPage(harness.gateway.url);
      const introspection = await harness.graphql({ query: INTROSPECTION });

      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('embeddable-sandbox');
      expect(html).toContain('UpdateUser');
      expect(introspection.body.data.__schema.queryType.name).toBe('Query');
    });

    it('serves neither when GRAPHQL_INTROSPECTION is off', async () => {
      harness = await startHarness({ introspection: false });

      const page = await landingPage(harness.gateway.url);
      const introspection = await harness.graphql({ query: INTROSPECTION });

      expect(await page.text()).not.toContain('embeddable-sandbox');
      expect(introspection.status).toBe(400);
      expect(introspection.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });
});
