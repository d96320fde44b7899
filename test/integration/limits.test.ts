/**
 * The limits of the contract (Limits section), each checked on both sides: a request exactly at
 * the limit is served, one unit over is refused with its HTTP status and code before anything is
 * sent upstream. Every limit is checked at its default and at a configured value.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Lexer, Source, TokenKind, getIntrospectionQuery } from 'graphql';
import type { Config } from '../../src/config.js';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import {
  expectUpstreamCalls,
  postGraphQL,
  startHarness,
  userPath,
  type Harness,
} from '../support/harness.js';

/** The one user lookup every accepted request makes, so "no upstream call" means something. */
const USER_FIELD = `user(userId: "${SEED_USER_ID}") { userId }`;
const lookup = (rest = '') => `{ ${USER_FIELD}${rest} }`;

const asBody = (query: string) => JSON.stringify({ query });

/** Lexical tokens of a document as graphql-js's parser counts them (every token but <EOF>). */
function countTokens(document: string): number {
  const lexer = new Lexer(new Source(document));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

/**
 * A document of exactly `tokens` tokens: the lookup (11 tokens), then `a0: __typename` fillers
 * (3 tokens each; Armor does not count `__typename` aliases), then plain `__typename`s (1 each).
 */
function documentOfTokens(tokens: number): string {
  const fill = tokens - countTokens(lookup());
  const aliased = Array.from({ length: Math.floor(fill / 3) }, (_, i) => ` t${i}: __typename`);
  return lookup(aliased.join('') + ' __typename'.repeat(fill % 3));
}

/**
 * A document `depth` fields deep (depth >= 2). The schema itself is two levels deep, so the
 * deeper levels come from `__type`, which Armor counts: it exempts only `__schema`.
 */
function documentOfDepth(depth: number): string {
  const levels = depth - 2;
  return lookup(
    ` __type(name: "User") { ${'ofType { '.repeat(levels)}name${' }'.repeat(levels)} }`,
  );
}

/** A request body of exactly `bytes` bytes: the lookup, padded with insignificant whitespace. */
function bodyOfBytes(bytes: number): string {
  const unpadded = asBody(lookup());
  const body = asBody(lookup() + ' '.repeat(bytes - unpadded.length));
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}

interface Limit {
  /** How the limit is known in the environment. */
  variable: string;
  key: keyof Config & ('maxBodyBytes' | 'maxDepth' | 'maxAliases' | 'maxDirectives' | 'maxTokens');
  defaultValue: number;
  /** A lower value set through configuration. */
  configuredValue: number;
  /** The raw HTTP body of a request `n` units large. */
  request(n: number): string;
  refusal: { status: number; code: string };
}

const LIMITS: Limit[] = [
  {
    variable: 'MAX_BODY_BYTES',
    key: 'maxBodyBytes',
    defaultValue: 100_000,
    configuredValue: 500,
    request: bodyOfBytes,
    refusal: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  },
  {
    variable: 'MAX_DEPTH',
    key: 'maxDepth',
    defaultValue: 6,
    configuredValue: 2,
    request: (depth) => asBody(documentOfDepth(depth)),
    refusal: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  },
  {
    variable: 'MAX_ALIASES',
    key: 'maxAliases',
    defaultValue: 100,
    configuredValue: 3,
    // Aliases of one user's fields: one lookup, so the user-lookup budget stays out of the way.
    request: (aliases) =>
      asBody(
        `{ user(userId: "${SEED_USER_ID}") { userId ${Array.from(
          { length: aliases },
          (_, i) => `a${i}: userId`,
        ).join(' ')} } }`,
      ),
    refusal: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  },
  {
    variable: 'MAX_DIRECTIVES',
    key: 'maxDirectives',
    defaultValue: 50,
    configuredValue: 2,
    request: (directives) =>
      asBody(
        `{ user(userId: "${SEED_USER_ID}") { ${'userId @include(if: true) '.repeat(directives)}} }`,
      ),
    refusal: { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  },
  {
    variable: 'MAX_TOKENS',
    key: 'maxTokens',
    defaultValue: 5_000,
    configuredValue: 20,
    request: (tokens) => asBody(documentOfTokens(tokens)),
    refusal: { status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  },
];

describe('limits', () => {
  describe('the request builders', () => {
    it('make documents of exactly the size asked for', () => {
      expect(countTokens(documentOfTokens(5_000))).toBe(5_000);
      expect(countTokens(documentOfTokens(5_001))).toBe(5_001);
      expect(countTokens(documentOfTokens(20))).toBe(20);
      expect(countTokens(documentOfTokens(21))).toBe(21);
      expect(bodyOfBytes(100_001)).toHaveLength(100_001);
    });
  });

  describe.each(LIMITS)('$variable', (limit) => {
    describe.each([
      ['at its default', {}, limit.defaultValue],
      [
        `set to ${limit.configuredValue}`,
        { [limit.key]: limit.configuredValue },
        limit.configuredValue,
      ],
    ])('%s', (_setting, overrides: Partial<Config>, value) => {
      let harness: Harness;
      beforeAll(async () => {
        harness = await startHarness(overrides);
      });
      afterAll(() => harness.close());
      beforeEach(() => harness.demo.reset());

      it(`is ${value}`, () => {
        expect(harness.config[limit.key]).toBe(value);
      });

      it('serves a request exactly at the limit', async () => {
        const response = await postGraphQL(harness.gateway.url, limit.request(value));

        expect(response.status).toBe(200);
        expect(response.body.errors).toBeUndefined();
        expect(response.body.data.user.userId).toBe(SEED_USER_ID);
        expectUpstreamCalls(harness.demo, [{ method: 'GET', path: userPath(SEED_USER_ID) }]);
      });

      it(`refuses one over with ${limit.refusal.status} ${limit.refusal.code} and no upstream call`, async () => {
        const response = await postGraphQL(harness.gateway.url, limit.request(value + 1));

        expect(response.status).toBe(limit.refusal.status);
        expect(response.body.errors).toHaveLength(1);
        expect(response.body.errors[0].extensions.code).toBe(limit.refusal.code);
        expect(response.body.data).toBeUndefined();
        expectUpstreamCalls(harness.demo, []);
      });
    });
  });

  describe('depth and introspection', () => {
    it('exempts a full introspection query (__schema) from MAX_DEPTH', async () => {
      const harness = await startHarness({ maxDepth: 1 });
      try {
        const tooDeep = await harness.graphql({ query: lookup() });
        const introspection = await harness.graphql({ query: getIntrospectionQuery() });

        expect(tooDeep.status).toBe(400);
        expect(introspection.status).toBe(200);
        expect(introspection.body.errors).toBeUndefined();
        expect(introspection.body.data.__schema.queryType).toMatchObject({ name: 'Query' });
        expectUpstreamCalls(harness.demo, []);
      } finally {
        await harness.close();
      }
    });

    it('still refuses a cyclic introspection query (graphql-js caps its list nesting)', async () => {
      const harness = await startHarness();
      try {
        const response = await harness.graphql({
          query:
            '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }',
        });

        expect(response.status).toBe(400);
        expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      } finally {
        await harness.close();
      }
    });
  });

  describe('documents that do not parse', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness();
    });
    afterAll(() => harness.close());
    beforeEach(() => harness.demo.reset());

    it.each([
      ['a missing closing brace', `{ ${USER_FIELD}`],
      ['an unterminated string', `{ user(userId: "${SEED_USER_ID}) { userId } }`],
      ['a stray character', `{ ${USER_FIELD} § }`],
      ['a document of only a comment', '# nothing to run'],
    ])('answer %s with 400 GRAPHQL_PARSE_FAILED and no upstream call', async (_case, query) => {
      const response = await harness.graphql({ query });

      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
      expectUpstreamCalls(harness.demo, []);
    });

    it('answer a document nested as deep as the token limit allows with a 400, not a 500', async () => {
      const levels = 1_600; // `user {` … `}`: three tokens a level, just under MAX_TOKENS
      const query = `{ ${'user { '.repeat(levels)}userId${' }'.repeat(levels)} }`;
      expect(countTokens(query)).toBeLessThanOrEqual(5_000);

      const response = await harness.graphql({ query });

      expect(response.status).toBe(400);
      // It parses (within MAX_TOKENS, without exhausting the stack); the depth limit refuses it.
      expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expectUpstreamCalls(harness.demo, []);
    });
  });

  describe('batched HTTP requests', () => {
    it('refuses a JSON array body with 400 and sends nothing upstream', async () => {
      const harness = await startHarness();
      try {
        const response = await postGraphQL(
          harness.gateway.url,
          JSON.stringify([{ query: lookup() }, { query: lookup() }]),
        );

        expect(response.status).toBe(400);
        expect(response.body.errors[0].extensions.code).toBe('BAD_REQUEST');
        expect(response.text).not.toContain(SEED_USER_ID);
        expectUpstreamCalls(harness.demo, []);
      } finally {
        await harness.close();
      }
    });
  });

  describe('field suggestions', () => {
    const MISSPELT = '{ usr(userId: "x") { userId } }';

    it('are hidden when introspection is off, so the schema cannot be guessed field by field', async () => {
      const harness = await startHarness({ introspection: false });
      try {
        const response = await harness.graphql({ query: MISSPELT });

        expect(response.status).toBe(400);
        expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(response.text).not.toMatch(/did you mean/i);
        expect(response.text).not.toContain('"user"');
      } finally {
        await harness.close();
      }
    });

    it('are given when introspection is on', async () => {
      const harness = await startHarness({ introspection: true });
      try {
        const response = await harness.graphql({ query: MISSPELT });

        expect(response.status).toBe(400);
        expect(response.body.errors[0].message).toMatch(/Did you mean "user"/);
      } finally {
        await harness.close();
      }
    });
  });
});
