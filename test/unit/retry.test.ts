import { describe, it, expect } from '@jest/globals';
import type { IncomingHttpHeaders } from 'node:http';
import {
  backoffMs,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  parseRetryAfterMs,
} from '../../src/avara/retry.js';
import type { AttemptOutcome, AvaraMethod, RetryPolicy } from '../../src/avara/retry.js';

/** The reference's SDK policy: 2 retries, 0.5 s doubling to at most 8 s. */
const POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRequestedWaitMs: 10_000,
};

const noJitter = () => 0;
const fullJitter = () => 1;

const answer = (
  method: AvaraMethod,
  status: number,
  headers: IncomingHttpHeaders = {},
): AttemptOutcome => ({ method, status, headers });

const failure = (method: AvaraMethod, kind: 'refused' | 'lost' | 'timeout'): AttemptOutcome => ({
  method,
  failure: kind,
});

const FAILURE_NAMES = {
  refused: 'a refused connection',
  lost: 'a lost connection',
  timeout: 'a timeout',
} as const;

/** `PATCH after 503 (x-should-retry: true)`: a readable test title for an outcome. */
function nameOf(outcome: AttemptOutcome): string {
  if (!('status' in outcome)) return `${outcome.method} after ${FAILURE_NAMES[outcome.failure]}`;
  const headers = Object.entries(outcome.headers).map(([name, value]) => `${name}: ${value}`);
  return `${outcome.method} after ${outcome.status}${headers.length ? ` (${headers.join(', ')})` : ''}`;
}

/** Rows as (name of the outcome, …rest, outcome), so that titles can use `%s` then `%p`. */
const named = <Rest extends unknown[]>(rows: [AttemptOutcome, ...Rest][]) =>
  rows.map(([outcome, ...rest]) => [nameOf(outcome), ...rest, outcome] as const);

describe('retry policy', () => {
  describe('DEFAULT_RETRY_POLICY', () => {
    it("follows the SDK's policy: 2 retries, 0.5 s doubling to at most 8 s", () => {
      expect(DEFAULT_RETRY_POLICY).toMatchObject({
        maxRetries: 2,
        baseDelayMs: 500,
        maxDelayMs: 8_000,
      });
    });

    it('caps a requested wait at some seconds, not minutes', () => {
      expect(DEFAULT_RETRY_POLICY.maxRequestedWaitMs).toBeGreaterThan(0);
      expect(DEFAULT_RETRY_POLICY.maxRequestedWaitMs).toBeLessThanOrEqual(60_000);
    });
  });

  describe('decideRetry', () => {
    describe('the decision table of the contract', () => {
      // GET: connection errors, timeouts, 408, 409, 429 and 5xx are retried.
      // PATCH: only a refused connection (never sent), 408, 429 and 503.
      const table: [AttemptOutcome, boolean][] = [
        [failure('GET', 'refused'), true],
        [failure('GET', 'lost'), true],
        [failure('GET', 'timeout'), true],
        [answer('GET', 400), false],
        [answer('GET', 401), false],
        [answer('GET', 403), false],
        [answer('GET', 404), false],
        [answer('GET', 408), true],
        [answer('GET', 409), true],
        [answer('GET', 422), false],
        [answer('GET', 429), true],
        [answer('GET', 500), true],
        [answer('GET', 502), true],
        [answer('GET', 503), true],
        [answer('GET', 504), true],
        [failure('PATCH', 'refused'), true],
        [failure('PATCH', 'lost'), false],
        [failure('PATCH', 'timeout'), false],
        [answer('PATCH', 400), false],
        [answer('PATCH', 401), false],
        [answer('PATCH', 403), false],
        [answer('PATCH', 404), false],
        [answer('PATCH', 408), true],
        [answer('PATCH', 409), false],
        [answer('PATCH', 422), false],
        [answer('PATCH', 429), true],
        [answer('PATCH', 500), false],
        [answer('PATCH', 502), false],
        [answer('PATCH', 503), true],
        [answer('PATCH', 504), false],
        // POST (invite, revoke, reactivate) follows the PATCH rule: Avara has no idempotency key.
        [failure('POST', 'refused'), true],
        [failure('POST', 'lost'), false],
        [failure('POST', 'timeout'), false],
        [answer('POST', 400), false],
        [answer('POST', 401), false],
        [answer('POST', 403), false],
        [answer('POST', 404), false],
        [answer('POST', 408), true],
        [answer('POST', 409), false],
        [answer('POST', 422), false],
        [answer('POST', 429), true],
        [answer('POST', 500), false],
        [answer('POST', 502), false],
        [answer('POST', 503), true],
        [answer('POST', 504), false],
      ];
      it.each(named(table))('%s: retry %p', (_name, retry, outcome) => {
        const decision = decideRetry(outcome, 0, POLICY, noJitter);

        expect(decision.retry).toBe(retry);
        expect(decision.reason).toEqual(expect.any(String));
        expect(decision.reason).not.toBe('');
      });

      it.each(
        named([
          [failure('GET', 'timeout')],
          [answer('GET', 503)],
          [failure('PATCH', 'refused')],
          [answer('PATCH', 429)],
        ]),
      )('waits baseDelayMs before the first retry, %s', (_name, outcome) => {
        expect(decideRetry(outcome, 0, POLICY, noJitter)).toMatchObject({
          retry: true,
          delayMs: POLICY.baseDelayMs,
        });
      });
    });

    describe('x-should-retry', () => {
      const statuses = [400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504];
      const rows = (['GET', 'PATCH', 'POST'] as const).flatMap((method) =>
        statuses.map((status) => [method, status] as const),
      );

      it.each(rows)(
        'retries %s after %p when Avara says x-should-retry: true',
        (method, status) => {
          const decision = decideRetry(
            answer(method, status, { 'x-should-retry': 'true' }),
            0,
            POLICY,
            noJitter,
          );

          expect(decision).toMatchObject({ retry: true, delayMs: POLICY.baseDelayMs });
        },
      );

      it.each(rows)(
        'does not retry %s after %p when Avara says x-should-retry: false',
        (method, status) => {
          const decision = decideRetry(
            answer(method, status, { 'x-should-retry': 'false' }),
            0,
            POLICY,
            noJitter,
          );

          expect(decision.retry).toBe(false);
        },
      );
    });

    describe('the retry budget', () => {
      it.each(
        named([
          [answer('GET', 503), 0],
          [answer('GET', 503), 1],
          [failure('GET', 'lost'), 1],
          [answer('PATCH', 429), 1],
        ]),
      )('retries %s with %p of 2 retries made', (_name, retriesSoFar, outcome) => {
        expect(decideRetry(outcome, retriesSoFar, POLICY, noJitter).retry).toBe(true);
      });

      it.each(
        named([
          [answer('GET', 503), 2],
          [answer('GET', 503), 3],
          [failure('GET', 'lost'), 2],
          [answer('PATCH', 429), 2],
          [answer('PATCH', 500, { 'x-should-retry': 'true' }), 2],
          [answer('GET', 503, { 'retry-after': '1' }), 2],
        ]),
      )('does not retry %s once %p of 2 retries are made', (_name, retriesSoFar, outcome) => {
        expect(decideRetry(outcome, retriesSoFar, POLICY, noJitter).retry).toBe(false);
      });

      it.each(named([[failure('GET', 'refused')], [answer('GET', 503)], [answer('PATCH', 429)]]))(
        'never retries %s when maxRetries is 0',
        (_name, outcome) => {
          expect(decideRetry(outcome, 0, { ...POLICY, maxRetries: 0 }, noJitter).retry).toBe(false);
        },
      );

      it.each([
        [0, 500],
        [1, 1_000],
      ])('waits the backoff after %p retries: %p ms', (retriesSoFar, delayMs) => {
        expect(decideRetry(answer('GET', 503), retriesSoFar, POLICY, noJitter)).toMatchObject({
          retry: true,
          delayMs,
        });
      });
    });

    describe('a requested wait', () => {
      it.each([
        ['Retry-After in seconds', { 'retry-after': '3' }, 3_000],
        ['Retry-After: 0', { 'retry-after': '0' }, 0],
        ['retry-after-ms', { 'retry-after-ms': '1500' }, 1_500],
        [
          'retry-after-ms over Retry-After',
          { 'retry-after-ms': '1500', 'retry-after': '3' },
          1_500,
        ],
        ['retry-after-ms at exactly the cap', { 'retry-after-ms': '10000' }, 10_000],
      ])('waits what %s asks for', (_case, headers: IncomingHttpHeaders, delayMs) => {
        for (const outcome of [answer('GET', 429, headers), answer('PATCH', 503, headers)]) {
          expect(decideRetry(outcome, 0, POLICY, noJitter)).toMatchObject({
            retry: true,
            delayMs,
          });
        }
      });

      it.each([
        ['a word', { 'retry-after': 'soon' }],
        ['a negative number', { 'retry-after': '-1' }],
        ['a bad retry-after-ms', { 'retry-after-ms': 'abc' }],
        ['a negative retry-after-ms', { 'retry-after-ms': '-5' }],
      ])('ignores %s and waits the backoff', (_case, headers: IncomingHttpHeaders) => {
        expect(decideRetry(answer('GET', 429, headers), 1, POLICY, noJitter)).toMatchObject({
          retry: true,
          delayMs: 1_000,
        });
      });

      it.each([
        ['Retry-After in seconds', { 'retry-after': '11' }],
        ['retry-after-ms', { 'retry-after-ms': '10001' }],
        ['Retry-After in minutes', { 'retry-after': '600' }],
        [
          'an HTTP date an hour away',
          { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() },
        ],
      ])(
        'does not retry when %s asks for longer than maxRequestedWaitMs',
        (_case, headers: IncomingHttpHeaders) => {
          for (const outcome of [answer('GET', 429, headers), answer('PATCH', 503, headers)]) {
            expect(decideRetry(outcome, 0, POLICY, noJitter).retry).toBe(false);
          }
        },
      );

      it('does not make a non-retryable status retryable', () => {
        const decision = decideRetry(answer('GET', 400, { 'retry-after': '1' }), 0, POLICY);

        expect(decision.retry).toBe(false);
      });
    });
  });

  describe('backoffMs', () => {
    it.each([
      [0, 500],
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [4, 8_000],
      [5, 8_000],
      [10, 8_000],
    ])('without jitter waits 0.5 s doubled %p times, at most 8 s: %p ms', (retriesSoFar, ms) => {
      expect(backoffMs(retriesSoFar, POLICY, noJitter)).toBe(ms);
    });

    it.each([
      [0, 375],
      [1, 750],
      [2, 1_500],
      [4, 6_000],
      [10, 6_000],
    ])('with the most jitter, after %p retries, waits 25%% less: %p ms', (retriesSoFar, ms) => {
      expect(backoffMs(retriesSoFar, POLICY, fullJitter)).toBe(ms);
    });

    it.each([0, 0.1, 0.5, 0.9, 0.999])(
      'with jitter %p only shortens the wait, by at most 25%%',
      (jitter) => {
        for (const retriesSoFar of [0, 1, 2, 3, 4, 5]) {
          const full = Math.min(500 * 2 ** retriesSoFar, 8_000);
          const wait = backoffMs(retriesSoFar, POLICY, () => jitter);

          expect(wait).toBeLessThanOrEqual(full);
          expect(wait).toBeGreaterThanOrEqual(full * 0.75);
        }
      },
    );

    it.each([
      [0, 100],
      [1, 200],
      [2, 250],
    ])('follows the policy given: after %p retries of 100 ms capped at 250 ms, %p ms', (n, ms) => {
      expect(backoffMs(n, { ...POLICY, baseDelayMs: 100, maxDelayMs: 250 }, noJitter)).toBe(ms);
    });
  });

  describe('parseRetryAfterMs', () => {
    const NOW = Date.parse('2015-10-21T07:28:00Z');

    it.each([
      ['Retry-After in seconds', { 'retry-after': '5' }, 5_000],
      ['Retry-After: 0', { 'retry-after': '0' }, 0],
      ['an HTTP date 30 s ahead', { 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' }, 30_000],
      ['an HTTP date 2 min ahead', { 'retry-after': 'Wed, 21 Oct 2015 07:30:00 GMT' }, 120_000],
      ['retry-after-ms', { 'retry-after-ms': '1500' }, 1_500],
      ['retry-after-ms over seconds', { 'retry-after-ms': '1500', 'retry-after': '30' }, 1_500],
      [
        'retry-after-ms over a date',
        { 'retry-after-ms': '250', 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' },
        250,
      ],
      [
        'Retry-After after a bad retry-after-ms',
        { 'retry-after-ms': 'abc', 'retry-after': '3' },
        3_000,
      ],
      [
        'Retry-After after a negative retry-after-ms',
        { 'retry-after-ms': '-1', 'retry-after': '3' },
        3_000,
      ],
    ])('reads %s', (_case, headers: IncomingHttpHeaders, ms) => {
      expect(parseRetryAfterMs(headers, NOW)).toBe(ms);
    });

    it.each([
      ['no header', {}],
      ['a word', { 'retry-after': 'soon' }],
      ['an empty Retry-After', { 'retry-after': '' }],
      ['a blank Retry-After', { 'retry-after': '   ' }],
      ['negative seconds', { 'retry-after': '-5' }],
      ['Infinity', { 'retry-after': 'Infinity' }],
      ['a bad retry-after-ms alone', { 'retry-after-ms': 'soon' }],
      ['a negative retry-after-ms alone', { 'retry-after-ms': '-100' }],
    ])('asks for no wait with %s', (_case, headers: IncomingHttpHeaders) => {
      expect(parseRetryAfterMs(headers, NOW)).toBeUndefined();
    });

    // An empty retry-after-ms is no number of milliseconds: it is to be ignored like any other
    // unparseable value (as the SDK does), not read as "retry at once" over a valid Retry-After.
    it.each([
      ['an empty retry-after-ms', { 'retry-after-ms': '', 'retry-after': '3' }],
      ['a blank retry-after-ms', { 'retry-after-ms': ' ', 'retry-after': '3' }],
    ])('ignores %s and reads Retry-After', (_case, headers: IncomingHttpHeaders) => {
      expect(parseRetryAfterMs(headers, NOW)).toBe(3_000);
    });
  });
});
