/**
 * CORS over real HTTP, in every mode `CORS_ORIGINS` allows: real preflights (OPTIONS with
 * `Origin`, `Access-Control-Request-Method` and `-Headers`) and the actual requests that follow,
 * from allowed and foreign origins. The finding this guards: with `AVARA_API_KEY` set, any web page
 * could read and change users with the gateway's own key.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { loadConfig, type Config } from '../../src/config.js';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { ALLOWED_REQUEST_HEADERS } from '../../src/http/cors.js';
import {
  GATEWAY_API_KEY,
  expectUpstreamCalls,
  startHarness,
  userPath,
  type Harness,
} from '../support/harness.js';
import { rawGraphQL, rawRequest } from '../support/raw-http.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const EVIL = 'https://evil.example';
const FIXED_ALLOW_HEADERS = ALLOWED_REQUEST_HEADERS.join(', ');

const READ_SARAH = {
  query: 'query ($userId: ID!) { user(userId: $userId) { firstName email phoneNumber } }',
  variables: { userId: SEED_USER_ID },
};
const RENAME_SARAH = {
  query:
    'mutation ($userId: ID!) { updateUser(userId: $userId, input: { firstName: "Pwned" }) { firstName } }',
  variables: { userId: SEED_USER_ID },
};

/** `CORS_ORIGINS` as an operator sets it, read by the real config loader. */
function corsFrom(env: Record<string, string>): Pick<Config, 'corsOrigins'> {
  return { corsOrigins: loadConfig(env).corsOrigins };
}

function preflight(
  harness: Harness,
  origin: string,
  requestHeaders = 'content-type, authorization, x-evil',
) {
  return rawRequest(harness.gateway.url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': requestHeaders,
    },
  });
}

const CORS_RESPONSE_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-headers',
  'access-control-allow-methods',
  'access-control-allow-credentials',
  'access-control-expose-headers',
] as const;

function corsHeadersOf(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    CORS_RESPONSE_HEADERS.filter((name) => name in headers).map((name) => [name, headers[name]]),
  );
}

function useModeHarness(overrides: Partial<Config>): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(overrides);
  });
  beforeEach(() => harness?.demo.reset());
  afterAll(() => harness?.close());
  return () => harness as Harness;
}

describe('CORS', () => {
  describe('CORS_ORIGINS unset, with AVARA_BASE_URL and AVARA_API_KEY (production): closed', () => {
    const harness = useModeHarness(
      corsFrom({ AVARA_BASE_URL: 'https://api.example.com', AVARA_API_KEY: GATEWAY_API_KEY }),
    );

    it('approves no preflight: no Access-Control-* header, nothing reflected', async () => {
      const response = await preflight(harness(), EVIL);

      expect(response.status).toBe(204);
      expect(corsHeadersOf(response.headers)).toStrictEqual({});
      expect(response.headers.vary).toBe('Origin');
    });

    it('refuses the actual updateUser from a foreign page and changes nothing upstream', async () => {
      const response = await rawGraphQL(harness().gateway.url, RENAME_SARAH, { origin: EVIL });

      expect(response.status).toBe(403);
      expect(response.body.errors).toStrictEqual([
        {
          message: expect.stringContaining('CORS_ORIGINS'),
          extensions: { code: 'FORBIDDEN_ORIGIN', requestId: response.headers['x-request-id'] },
        },
      ]);
      expect(corsHeadersOf(response.headers)).toStrictEqual({});
      expect(response.headers.vary).toBe('Origin');
      expectUpstreamCalls(harness().demo, []);
    });

    it("never answers a foreign page with Sarah's data", async () => {
      const response = await rawGraphQL(harness().gateway.url, READ_SARAH, { origin: EVIL });

      expect(response.status).toBe(403);
      expect(response.text).not.toContain('Sarah');
      expectUpstreamCalls(harness().demo, []);
    });

    it('serves a client that is not a browser (no Origin), with no CORS headers', async () => {
      const response = await rawGraphQL(harness().gateway.url, READ_SARAH);

      expect(response.status).toBe(200);
      expect(response.body.data.user.firstName).toBe('Sarah');
      expect(corsHeadersOf(response.headers)).toStrictEqual({});
      expect(response.headers.vary).toBe('Origin');
    });

    it('serves the page it served itself (Sandbox): same origin is not cross-origin', async () => {
      const origin = `http://localhost:${harness().gateway.port}`;

      const response = await rawGraphQL(harness().gateway.url, READ_SARAH, { origin });

      expect(response.status).toBe(200);
      expect(response.body.data.user.firstName).toBe('Sarah');
      expect(corsHeadersOf(response.headers)).toStrictEqual({});
    });
  });

  describe(`CORS_ORIGINS=${APP},${ADMIN} with AVARA_API_KEY`, () => {
    const harness = useModeHarness(
      corsFrom({
        AVARA_BASE_URL: 'https://api.example.com',
        AVARA_API_KEY: GATEWAY_API_KEY,
        CORS_ORIGINS: `${APP}, ${ADMIN}`,
      }),
    );

    it.each([APP, ADMIN])(
      'approves a preflight from %s with the fixed header list, not the requested one',
      async (origin) => {
        const response = await preflight(harness(), origin);

        expect(response.status).toBe(204);
        expect(corsHeadersOf(response.headers)).toStrictEqual({
          'access-control-allow-origin': origin,
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': FIXED_ALLOW_HEADERS,
        });
        expect(response.headers['access-control-allow-headers']).not.toContain('x-evil');
        expect(response.headers['access-control-max-age']).toBe('600');
        expect(response.headers.vary).toBe('Origin');
      },
    );

    it.each([EVIL, 'https://app.example.com.evil.example', 'http://app.example.com', 'null'])(
      'approves no preflight from %s',
      async (origin) => {
        const response = await preflight(harness(), origin);

        expect(corsHeadersOf(response.headers)).toStrictEqual({});
        expect(response.headers.vary).toBe('Origin');
      },
    );

    it('answers the actual request from an allowed origin with its origin, never *', async () => {
      const response = await rawGraphQL(harness().gateway.url, RENAME_SARAH, { origin: APP });

      expect(response.status).toBe(200);
      expect(response.body.data.updateUser.firstName).toBe('Pwned');
      expect(corsHeadersOf(response.headers)).toStrictEqual({
        'access-control-allow-origin': APP,
        'access-control-expose-headers': 'x-request-id',
      });
      expect(response.headers.vary).toBe('Origin');
      expectUpstreamCalls(harness().demo, [
        { method: 'PATCH', path: userPath(SEED_USER_ID), body: { firstName: 'Pwned' } },
      ]);
    });

    it('refuses the actual request from a foreign origin, sending nothing upstream', async () => {
      const response = await rawGraphQL(harness().gateway.url, RENAME_SARAH, { origin: EVIL });

      expect(response.status).toBe(403);
      expect(response.body.errors[0].extensions.code).toBe('FORBIDDEN_ORIGIN');
      expect(corsHeadersOf(response.headers)).toStrictEqual({});
      expectUpstreamCalls(harness().demo, []);
    });
  });

  describe('demo mode (no AVARA_BASE_URL, CORS_ORIGINS unset): any origin explores the fictional data', () => {
    const harness = useModeHarness(corsFrom({}));

    it('approves a preflight from any origin with * and the fixed header list', async () => {
      const response = await preflight(harness(), 'https://studio.apollographql.com', 'x-anything');

      expect(corsHeadersOf(response.headers)).toStrictEqual({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': FIXED_ALLOW_HEADERS,
      });
    });

    it('answers the actual request from any origin with *', async () => {
      const response = await rawGraphQL(harness().gateway.url, READ_SARAH, { origin: EVIL });

      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers.vary).toBe('Origin');
    });
  });

  describe('CORS_ORIGINS=* without AVARA_API_KEY: callers bring their own credential', () => {
    const harness = useModeHarness({
      ...corsFrom({ AVARA_BASE_URL: 'https://api.example.com', CORS_ORIGINS: '*' }),
      avaraApiKey: undefined,
    });

    it('approves a preflight from any origin with the fixed header list', async () => {
      const response = await preflight(harness(), EVIL);

      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-allow-headers']).toBe(FIXED_ALLOW_HEADERS);
    });

    it('forwards only the caller credential: a page without one gets UNAUTHENTICATED, nothing sent', async () => {
      const response = await rawGraphQL(harness().gateway.url, READ_SARAH, { origin: EVIL });

      expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expectUpstreamCalls(harness().demo, []);
    });
  });
});
