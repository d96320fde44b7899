import { describe, expect, it } from '@jest/globals';
import {
  MAX_RETRY_AFTER_MS,
  parseAnswer,
  toStatusError,
  type Answer,
} from '../../src/avara/answers.js';
import { avaraUserSchema } from '../../src/avara/types.js';
import type { AvaraError } from '../../src/avara/errors.js';
import { DEMO_USERS, SEED_USER_ID } from '../../src/demo/seed.js';

const answer = (body: Uint8Array | string, statusCode = 200, headers = {}): Answer => ({
  statusCode,
  headers: { 'x-request-id': 'req_1', ...headers },
  body: typeof body === 'string' ? Buffer.from(body) : body,
});
const seedJson = JSON.stringify(DEMO_USERS[0]);
/** The parser `users.retrieve` uses: the documented user, and the one asked for. */
const seedUser = {
  schema: avaraUserSchema,
  isExpected: (user: { userId: string }) => user.userId === SEED_USER_ID,
};
const parseUser = (answer: Answer, attempts: number, _userId: string) =>
  parseAnswer(answer, attempts, seedUser);

function problemOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    const { kind, problem, status, requestId } = error as AvaraError;
    return `${kind}/${problem}/${status}/${requestId}`;
  }
  return undefined;
}

describe('parseAnswer, as users.retrieve uses it', () => {
  it.each<[string, Answer, string]>([
    ['invalid UTF-8', answer(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])), 'not-utf8'],
    ['a lone surrogate half encoded as bytes', answer(Buffer.from([0xed, 0xa0, 0x80])), 'not-utf8'],
    ['truncated JSON', answer('{"userId":'), 'not-json'],
    ['a user without lastName', answer(JSON.stringify({ userId: SEED_USER_ID })), 'wrong-shape'],
    [
      'another user than the one asked for',
      answer(JSON.stringify({ ...DEMO_USERS[0], userId: DEMO_USERS[1].userId })),
      'not-asked-for',
    ],
  ])('refuses %s as UPSTREAM_ERROR material (%s)', (_case, bad, problem) => {
    expect(problemOf(() => parseUser(bad, 1, SEED_USER_ID))).toBe(`malformed/${problem}/200/req_1`);
  });

  it('reads multi-byte text exactly', () => {
    const name = 'Zoë 山田 🩺';
    const user = parseUser(
      answer(JSON.stringify({ ...DEMO_USERS[0], firstName: name })),
      1,
      SEED_USER_ID,
    );
    expect(user.firstName).toBe(name);
  });

  it('accepts the user asked for', () => {
    expect(parseUser(answer(seedJson), 1, SEED_USER_ID).userId).toBe(SEED_USER_ID);
  });
});

describe('toStatusError', () => {
  it.each<[string, string, number | undefined]>([
    ['seconds', '30', 30_000],
    ['an hour', '3600', 3_600_000],
    ['more than an hour', '1000000000000', MAX_RETRY_AFTER_MS],
    ['nothing usable', 'soon', undefined],
  ])('keeps a Retry-After of %s as at most an hour', (_case, retryAfter, expected) => {
    const error = toStatusError(answer('{}', 429, { 'retry-after': retryAfter }), 1);
    expect(error.retryAfterMs).toBe(expected);
  });
});
