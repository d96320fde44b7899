/**
 * Input checks made before anything is sent upstream. Each check returns every problem it finds,
 * so a client learns about all offending fields at once.
 */
import { INVITATION_ID_PATTERN, USER_ID_PATTERN } from '../avara/types.js';

/** One offending argument or input field, as listed in `extensions.fieldErrors`. */
export interface FieldError {
  /** The input field's name (`phoneNumber`) or `userId`. */
  field: string;
  /** What is wrong, without echoing the value (it may be personal data). */
  message: string;
}

/** Thrown by resolvers for invalid arguments; becomes `BAD_USER_INPUT` in `errors.ts`. */
export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(readonly fieldErrors: readonly FieldError[]) {
    super(`Invalid input: ${fieldErrors.map(({ field }) => field).join(', ')}`);
  }
}

/**
 * The longest value of each kind of input string (contract, Limits). Each is stated in its
 * field's description as "at most N characters"; a longer value is refused before any other check.
 */
export const MAX_LENGTHS = {
  /** Names and suffixes, and the name filters. */
  name: 100,
  /** RFC 5321's longest forward path. */
  email: 254,
  /** `usr_` / `inv_` + 32 hex. */
  id: 36,
  /** `YYYY-MM-DD`. */
  date: 10,
  /** A gateway cursor (`after`). */
  cursor: 2048,
} as const;

/**
 * The problem with an id, or `undefined` when it has the given prefix and 32 lowercase hex.
 * Typed `unknown`: an entity representation is any JSON (`_Any`), and an id given as an array of
 * one string would pass a pattern test (`String(['usr_…'])`) and be sent on.
 */
function idProblem(value: unknown, pattern: RegExp, prefix: string): string | undefined {
  if (typeof value !== 'string') return 'is required, as a string';
  if (value.length > MAX_LENGTHS.id) return `must be at most ${MAX_LENGTHS.id} characters`;
  return pattern.test(value)
    ? undefined
    : `must be ${prefix} followed by 32 lowercase hexadecimal characters`;
}

export function checkUserId(userId: unknown, field = 'userId'): FieldError[] {
  const message = idProblem(userId, USER_ID_PATTERN, 'usr_');
  return message === undefined ? [] : [{ field, message }];
}

export function checkInvitationId(invitationId: unknown, field = 'invitationId'): FieldError[] {
  const message = idProblem(invitationId, INVITATION_ID_PATTERN, 'inv_');
  return message === undefined ? [] : [{ field, message }];
}

export function assertNoFieldErrors(fieldErrors: readonly FieldError[]): void {
  if (fieldErrors.length > 0) throw new InputError(fieldErrors);
}

/** `local@domain`: one `@`, no spaces or control characters on either side. */
const EMAIL_PATTERN = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+$/u;

/** `YYYY-MM-DD`. */
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A rule's verdict on a value: the problem, or `undefined` when there is none. */
export type TextRule = (value: string) => string | undefined;

/**
 * An unpaired UTF-16 surrogate: not text. A query string would carry it as U+FFFD (another filter
 * than the one asked for) and a JSON body as a lone `\uD800` escape Avara may store as garbage.
 */
const LONE_SURROGATE = /\p{Cs}/u;

const atMost =
  (max: number, rule?: TextRule): TextRule =>
  (value) =>
    value.length > max
      ? `must be at most ${max} characters`
      : LONE_SURROGATE.test(value)
        ? 'must be valid Unicode text (it holds an unpaired surrogate)'
        : rule?.(value);

/** Avara's text rules, as predicates that name the rule when broken (never the value). */
export const TEXT_RULES = {
  /** A name or suffix: not empty, at most 100 characters. */
  name: atMost(MAX_LENGTHS.name, (value) => (value.length > 0 ? undefined : 'must not be empty')),
  phoneNumber: (value: string) =>
    /^\d{10,15}$/.test(value) ? undefined : 'must be 10 to 15 digits with no other characters',
  /** A single address to invite; no SDK documents more than "address for login". */
  email: atMost(MAX_LENGTHS.email, (value) =>
    EMAIL_PATTERN.test(value) ? undefined : 'must be one address as local@domain, with no spaces',
  ),
  /** A text filter: at most `max` characters, and not empty (leave it out to match everything). */
  filter: (max: number) =>
    atMost(max, (value) =>
      value.length > 0 ? undefined : 'must not be empty: leave it out to match everything',
    ),
  /** A calendar day that exists, as `YYYY-MM-DD`. */
  date: atMost(MAX_LENGTHS.date, (value) => {
    const match = DATE_PATTERN.exec(value);
    if (match === null) return 'must be a day as YYYY-MM-DD';
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    return date.getUTCFullYear() === year &&
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day
      ? undefined
      : 'must be a day that exists';
  }),
} as const satisfies Record<string, TextRule | ((max: number) => TextRule)>;

/** The field error of one value under one rule, as a list so checks can be spread together. */
export function checkText(field: string, value: string, rule: TextRule): FieldError[] {
  const message = rule(value);
  return message === undefined ? [] : [{ field, message }];
}
