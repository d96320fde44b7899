import { describe, it, expect } from '@jest/globals';
import { assertNoFieldErrors, checkUserId, InputError } from '../../src/graphql/validation.js';
import type { FieldError } from '../../src/graphql/validation.js';

const HEX_32 = '1234567890abcdef1234567890abcdef';

describe('checkUserId', () => {
  describe('a valid userId', () => {
    it.each([
      ['the seed user', `usr_${HEX_32}`],
      ['all zeros', `usr_${'0'.repeat(32)}`],
      ['all f', `usr_${'f'.repeat(32)}`],
    ])('accepts %s', (_case, userId) => {
      expect(checkUserId(userId)).toEqual([]);
    });
  });

  describe('an invalid userId', () => {
    it.each([
      ['uppercase hex', `usr_${HEX_32.toUpperCase()}`],
      ['one uppercase hex digit', `usr_${HEX_32.slice(0, 31)}F`],
      ['31 hex characters', `usr_${HEX_32.slice(0, 31)}`],
      ['33 hex characters', `usr_${HEX_32}0`],
      ['no prefix', HEX_32],
      ['an uppercase prefix', `USR_${HEX_32}`],
      ['another prefix', `org_${HEX_32}`],
      ['non-hex characters', `usr_${'g'.repeat(32)}`],
      ['a path traversal', `usr_../../${HEX_32.slice(0, 26)}`],
      ['a slash', `usr_${HEX_32.slice(0, 16)}/${HEX_32.slice(0, 15)}`],
      ['a trailing newline', `usr_${HEX_32}\n`],
      ['a leading space', ` usr_${HEX_32}`],
      ['a trailing space', `usr_${HEX_32} `],
      ['the prefix only', 'usr_'],
      ['the empty string', ''],
    ])('refuses %s, on the field userId', (_case, userId) => {
      expect(checkUserId(userId)).toEqual([{ field: 'userId', message: expect.any(String) }]);
    });

    it.each([
      ['uppercase hex', `usr_${HEX_32.toUpperCase()}`],
      ['a path traversal', `usr_../../etc/passwd`],
      ['personal data', 'sarah.johnson@hospital.org'],
    ])('does not echo the value in the message for %s', (_case, userId) => {
      const [error] = checkUserId(userId);

      expect(error?.message).toEqual(expect.any(String));
      expect(error?.message).not.toContain(userId);
    });
  });
});

describe('assertNoFieldErrors', () => {
  it('returns when there are no field errors', () => {
    expect(() => assertNoFieldErrors([])).not.toThrow();
  });

  it('throws an InputError carrying every field error when there are some', () => {
    const fieldErrors: FieldError[] = [
      { field: 'userId', message: 'must be usr_ followed by 32 lowercase hexadecimal characters' },
      { field: 'phoneNumber', message: 'must be 10 to 15 digits' },
    ];

    let thrown: unknown;
    try {
      assertNoFieldErrors(fieldErrors);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(InputError);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as InputError).fieldErrors).toEqual(fieldErrors);
  });
});

describe('InputError', () => {
  it('names the offending fields in its message, without their values', () => {
    const error = new InputError([{ field: 'phoneNumber', message: 'must be 10 to 15 digits' }]);

    expect(error.name).toBe('InputError');
    expect(error.message).toContain('phoneNumber');
    expect(error.message).not.toContain('555-1234');
  });
});
