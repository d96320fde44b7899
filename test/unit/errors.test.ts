import { describe, it, expect } from '@jest/globals';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { AvaraError } from '../../src/avara/errors.js';
import type { AvaraErrorDetails } from '../../src/avara/errors.js';
import {
  codeForAvaraError,
  createFormatError,
  isUnexpectedError,
  ERROR_CODES,
  MissingCredentialError,
} from '../../src/graphql/errors.js';
import { InputError } from '../../src/graphql/validation.js';

const LOCATIONS = [{ line: 2, column: 3 }];
const PATH = ['updateUser'];

/** What Apollo hands `formatError`: the formatted error and the thrown one, wrapped with its path. */
function formatThrown(
  error: Error,
  options: Parameters<typeof createFormatError>[0] = { production: true },
): GraphQLFormattedError {
  const formatted: GraphQLFormattedError = {
    message: error.message,
    locations: LOCATIONS,
    path: PATH,
    extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at secret (/srv/app.js:1:1)'] },
  };
  const wrapped = new GraphQLError(error.message, { originalError: error, path: PATH });
  return createFormatError(options)(formatted, wrapped);
}

const statusError = (status: number, details: Partial<AvaraErrorDetails> = {}) =>
  new AvaraError({ kind: 'status', status, attempts: 1, ...details });

describe('errors', () => {
  describe('codeForAvaraError', () => {
    // The contract's Errors table.
    it.each([
      [400, 'BAD_USER_INPUT'],
      [422, 'BAD_USER_INPUT'],
      [401, 'UNAUTHENTICATED'],
      [403, 'FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [409, 'CONFLICT'],
      [429, 'RATE_LIMITED'],
      [408, 'UPSTREAM_TIMEOUT'],
      [502, 'UPSTREAM_UNAVAILABLE'],
      [503, 'UPSTREAM_UNAVAILABLE'],
      [504, 'UPSTREAM_UNAVAILABLE'],
      [500, 'UPSTREAM_ERROR'],
      [501, 'UPSTREAM_ERROR'],
      [507, 'UPSTREAM_ERROR'],
      [599, 'UPSTREAM_ERROR'],
    ])('gives upstream status %p the code %s', (status, code) => {
      expect(codeForAvaraError(statusError(status))).toBe(code);
    });

    it.each([
      ['timeout', 'UPSTREAM_TIMEOUT'],
      ['connection', 'UPSTREAM_UNAVAILABLE'],
      ['malformed', 'UPSTREAM_ERROR'],
    ] as const)('gives a %s failure the code %s', (kind, code) => {
      expect(codeForAvaraError(new AvaraError({ kind, attempts: 3 }))).toBe(code);
    });

    it('gives a 2xx answer that is not the documented JSON the code UPSTREAM_ERROR', () => {
      expect(
        codeForAvaraError(new AvaraError({ kind: 'malformed', status: 200, attempts: 1 })),
      ).toBe('UPSTREAM_ERROR');
    });

    it('lists exactly the codes of the contract', () => {
      expect([...ERROR_CODES].sort()).toEqual(
        [
          'BAD_USER_INPUT',
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'CONFLICT',
          'RATE_LIMITED',
          'UPSTREAM_TIMEOUT',
          'UPSTREAM_UNAVAILABLE',
          'UPSTREAM_ERROR',
        ].sort(),
      );
    });
  });

  describe('createFormatError', () => {
    describe('an Avara error', () => {
      it.each([
        [400, 'BAD_USER_INPUT'],
        [401, 'UNAUTHENTICATED'],
        [403, 'FORBIDDEN'],
        [404, 'NOT_FOUND'],
        [409, 'CONFLICT'],
        [422, 'BAD_USER_INPUT'],
        [429, 'RATE_LIMITED'],
        [500, 'UPSTREAM_ERROR'],
        [502, 'UPSTREAM_UNAVAILABLE'],
        [503, 'UPSTREAM_UNAVAILABLE'],
      ])('after a %p carries the code %s and extensions.upstream', (status, code) => {
        const formatted = formatThrown(statusError(status, { requestId: 'req_42' }));

        expect(formatted.extensions).toMatchObject({
          code,
          upstream: { status, requestId: 'req_42' },
        });
      });

      it('gives no request id when Avara sent none', () => {
        const formatted = formatThrown(statusError(503));
        const upstream = formatted.extensions?.upstream as { status: number; requestId?: unknown };

        expect(upstream.status).toBe(503);
        expect(upstream.requestId ?? null).toBeNull();
      });

      it.each([
        ['timeout', 'UPSTREAM_TIMEOUT'],
        ['connection', 'UPSTREAM_UNAVAILABLE'],
      ] as const)(
        'has no extensions.upstream after a %s, where Avara never answered',
        (kind, code) => {
          const formatted = formatThrown(
            new AvaraError({ kind, attempts: 3, errorCode: 'ECONNRESET' }),
          );

          expect(formatted.extensions).toStrictEqual({ code });
        },
      );

      it.each([
        [1_500, 2],
        [1_000, 1],
        [1, 1],
        [30_000, 30],
      ])(
        'gives RATE_LIMITED retryAfterSeconds rounded up: %p ms → %p s',
        (retryAfterMs, seconds) => {
          const formatted = formatThrown(statusError(429, { retryAfterMs }));

          expect(formatted.extensions).toMatchObject({
            code: 'RATE_LIMITED',
            retryAfterSeconds: seconds,
          });
        },
      );

      it('gives RATE_LIMITED no retryAfterSeconds when Avara did not say', () => {
        expect(formatThrown(statusError(429)).extensions).not.toHaveProperty('retryAfterSeconds');
      });

      it.each([503, 408, 409])(
        'gives no retryAfterSeconds to a %p, which is not RATE_LIMITED',
        (status) => {
          expect(
            formatThrown(statusError(status, { retryAfterMs: 1_500 })).extensions,
          ).not.toHaveProperty('retryAfterSeconds');
        },
      );

      it.each([400, 422])('keeps the upstream message of a %p for BAD_USER_INPUT', (status) => {
        const formatted = formatThrown(
          statusError(status, { upstreamMessage: 'phoneNumber: must be 10-15 digits' }),
        );

        expect(formatted.extensions?.code).toBe('BAD_USER_INPUT');
        expect(formatted.message).toContain('phoneNumber: must be 10-15 digits');
      });

      it.each([500, 501, 502, 503, 504, 507])(
        'never gives the upstream message of a %p',
        (status) => {
          for (const production of [true, false]) {
            const formatted = formatThrown(
              statusError(status, { upstreamMessage: 'pg: password authentication failed' }),
              { production },
            );

            expect(formatted.message).not.toContain('password');
            expect(JSON.stringify(formatted)).not.toContain('password');
          }
        },
      );

      it('drops what Apollo added, stack traces included', () => {
        const formatted = formatThrown(statusError(502), { production: false });

        expect(JSON.stringify(formatted)).not.toContain('stacktrace');
        expect(JSON.stringify(formatted)).not.toContain('/srv/app.js');
      });

      it('keeps locations and path', () => {
        const formatted = formatThrown(statusError(404));

        expect(formatted.locations).toEqual(LOCATIONS);
        expect(formatted.path).toEqual(PATH);
      });
    });

    describe('an InputError', () => {
      it('is BAD_USER_INPUT with every field error in extensions.fieldErrors', () => {
        const fieldErrors = [
          { field: 'userId', message: 'must be usr_ followed by 32 lowercase hex characters' },
          { field: 'phoneNumber', message: 'must be 10 to 15 digits' },
        ];
        const formatted = formatThrown(new InputError(fieldErrors));

        expect(formatted.extensions).toStrictEqual({ code: 'BAD_USER_INPUT', fieldErrors });
        expect(formatted.locations).toEqual(LOCATIONS);
        expect(formatted.path).toEqual(PATH);
      });
    });

    describe('a MissingCredentialError', () => {
      it.each([true, false])('is UNAUTHENTICATED (production: %p)', (production) => {
        const formatted = formatThrown(new MissingCredentialError(), { production });

        expect(formatted.extensions).toStrictEqual({ code: 'UNAUTHENTICATED' });
      });
    });

    describe('an unexpected error', () => {
      function formatUnexpected(production: boolean) {
        const original = new Error('secret detail');
        const formatError = createFormatError({ production });
        const formatted: GraphQLFormattedError = {
          message: 'secret detail',
          locations: LOCATIONS,
          path: PATH,
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        };
        const result = formatError(
          formatted,
          new GraphQLError('secret detail', { originalError: original, path: PATH }),
        );
        return { original, formatted, result };
      }

      it('is masked with a fixed message in production', () => {
        const { result } = formatUnexpected(true);

        expect(result.message).not.toContain('secret');
        expect(result.message).not.toBe('');
        expect(result.extensions).toStrictEqual({ code: 'INTERNAL_SERVER_ERROR' });
        expect(result.locations).toEqual(LOCATIONS);
        expect(result.path).toEqual(PATH);
      });

      it('gets the same message in production whatever the error said', () => {
        const format = createFormatError({ production: true });
        const messages = ['secret detail', 'another secret'].map(
          (message) =>
            format(
              { message, extensions: { code: 'INTERNAL_SERVER_ERROR' } },
              new GraphQLError(message, { originalError: new Error(message), path: PATH }),
            ).message,
        );

        expect(messages[0]).toBe(messages[1]);
      });

      it('is recognised as unexpected, to be logged in full', () => {
        const { original } = formatUnexpected(true);

        expect(
          isUnexpectedError(new GraphQLError('x', { originalError: original, path: PATH })),
        ).toBe(true);
        expect(isUnexpectedError(original)).toBe(true);
      });

      it('is kept as Apollo formatted it in development', () => {
        const { formatted, result } = formatUnexpected(false);

        expect(result).toStrictEqual(formatted);
      });
    });

    describe("Apollo's own codes", () => {
      it.each([
        'GRAPHQL_VALIDATION_FAILED',
        'GRAPHQL_PARSE_FAILED',
        'BAD_USER_INPUT',
        'BAD_REQUEST',
      ])('pass %s through unchanged, in production too', (code) => {
        const formatted: GraphQLFormattedError = {
          message: 'Cannot query field "nope" on type "Query".',
          locations: LOCATIONS,
          extensions: { code },
        };
        const error = new GraphQLError(formatted.message, { extensions: { code } });

        const result = createFormatError({ production: true })(formatted, error);

        expect(result).toStrictEqual(formatted);
        expect(isUnexpectedError(error)).toBe(false);
      });
    });
  });
});
