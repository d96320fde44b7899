/**
 * Input checks made before anything is sent upstream. Each check returns every problem it finds,
 * so a client learns about all offending fields at once.
 */
import { USER_ID_PATTERN } from '../avara/types.js';

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

export function checkUserId(userId: string): FieldError[] {
  return USER_ID_PATTERN.test(userId)
    ? []
    : [
        {
          field: 'userId',
          message: 'must be usr_ followed by 32 lowercase hexadecimal characters',
        },
      ];
}

export function assertNoFieldErrors(fieldErrors: readonly FieldError[]): void {
  if (fieldErrors.length > 0) throw new InputError(fieldErrors);
}

/** Avara's text rules, as predicates that name the rule when broken. */
export const TEXT_RULES = {
  nonEmpty: (value: string) => (value.length > 0 ? undefined : 'must not be empty'),
  phoneNumber: (value: string) =>
    /^\d{10,15}$/.test(value) ? undefined : 'must be 10 to 15 digits with no other characters',
} as const;
