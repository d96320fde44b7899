import { describe, it, expect } from '@jest/globals';
import { toUserUpdateParams } from '../../src/graphql/user-patch.js';
import type { UserPatchInput } from '../../src/__generated__/resolvers-types.js';
import type { AvaraUserUpdateParams } from '../../src/avara/types.js';

type Field = keyof UserPatchInput & keyof AvaraUserUpdateParams;

/** The contract's clearable fields: `null` clears them and is sent as JSON `null`. */
const CLEARABLE: ReadonlySet<Field> = new Set([
  'middleName',
  'phoneNumber',
  'suffix1',
  'suffix2',
  'clinicRole',
]);

/** One valid value per updatable field, with the wire value the API reference expects for it. */
const VALID: readonly { field: Field; value: NonNullable<UserPatchInput[Field]>; wire: unknown }[] =
  [
    { field: 'canManageStudies', value: true, wire: true },
    { field: 'clinicRole', value: 'PHYSICIAN_ASSISTANT', wire: 'Physician Assistant' },
    { field: 'firstName', value: 'Sarah', wire: 'Sarah' },
    { field: 'hasDashboardAccess', value: true, wire: true },
    { field: 'lastName', value: 'Johnson', wire: 'Johnson' },
    { field: 'level', value: 'ADMIN', wire: 'admin' },
    { field: 'middleName', value: 'Marie', wire: 'Marie' },
    { field: 'phoneNumber', value: '5551234567', wire: '5551234567' },
    { field: 'suffix1', value: 'MD', wire: 'MD' },
    { field: 'suffix2', value: 'FACR', wire: 'FACR' },
  ];

const FIELDS = VALID.map(({ field }) => field);

/** An input holding the given fields, typed without casts. */
function inputOf(entries: readonly (readonly [Field, UserPatchInput[Field]])[]): UserPatchInput {
  const input: UserPatchInput = {};
  for (const [field, value] of entries) setField(input, field, value);
  return input;
}

function setField<F extends Field>(input: UserPatchInput, field: F, value: UserPatchInput[F]) {
  input[field] = value;
}

const fieldsOf = (errors: readonly { field: string }[]) => errors.map(({ field }) => field).sort();

describe('toUserUpdateParams', () => {
  it('covers exactly the ten updatable fields', () => {
    expect(FIELDS).toHaveLength(10);
  });

  describe('an absent field', () => {
    it('sends an empty body for an empty input', () => {
      expect(toUserUpdateParams({})).toStrictEqual({ params: {}, fieldErrors: [] });
    });

    it.each(FIELDS)('leaves %s out of the body when only it is absent', (absent) => {
      const others = VALID.filter(({ field }) => field !== absent);
      const { params, fieldErrors } = toUserUpdateParams(
        inputOf(others.map(({ field, value }) => [field, value])),
      );

      expect(fieldErrors).toEqual([]);
      expect(Object.keys(params)).not.toContain(absent);
      expect(Object.keys(params).sort()).toEqual(others.map(({ field }) => field).sort());
    });

    it.each(FIELDS)('leaves %s out of the body when it is explicitly undefined', (field) => {
      expect(toUserUpdateParams(inputOf([[field, undefined]]))).toStrictEqual({
        params: {},
        fieldErrors: [],
      });
    });
  });

  describe('an explicit null', () => {
    const clearable = FIELDS.filter((field) => CLEARABLE.has(field));
    const notClearable = FIELDS.filter((field) => !CLEARABLE.has(field));

    it('applies to five clearable and five other fields', () => {
      expect(clearable).toHaveLength(5);
      expect(notClearable).toHaveLength(5);
    });

    it.each(clearable)('sends %s as JSON null, clearing it', (field) => {
      const { params, fieldErrors } = toUserUpdateParams(inputOf([[field, null]]));

      expect(fieldErrors).toEqual([]);
      expect(params).toStrictEqual({ [field]: null });
      expect(JSON.stringify(params)).toBe(`{"${field}":null}`);
    });

    it.each(notClearable)(
      'refuses a null %s with a field error and sends nothing for it',
      (field) => {
        const { params, fieldErrors } = toUserUpdateParams(inputOf([[field, null]]));

        expect(Object.keys(params)).toEqual([]);
        expect(fieldErrors).toEqual([{ field, message: expect.any(String) }]);
        expect(fieldErrors[0]?.message).not.toBe('');
      },
    );
  });

  describe('a value', () => {
    it.each(VALID)('sends $field $value as $wire', ({ field, value, wire }) => {
      expect(toUserUpdateParams(inputOf([[field, value]]))).toStrictEqual({
        params: { [field]: wire },
        fieldErrors: [],
      });
    });

    it.each([
      ['level', 'MEMBER', 'member'],
      ['clinicRole', 'RADIOLOGIST', 'Radiologist'],
      ['clinicRole', 'PATHOLOGISTS_ASSISTANT', "Pathologists' Assistant"],
      ['clinicRole', 'PACS_ADMINISTRATOR', 'PACS Administrator'],
      ['canManageStudies', false, false],
    ] as const)('sends %s %p as %p', (field, value, wire) => {
      expect(toUserUpdateParams(inputOf([[field, value]])).params).toStrictEqual({
        [field]: wire,
      });
    });

    it('sends every field at once when all are valid', () => {
      const { params, fieldErrors } = toUserUpdateParams(
        inputOf(VALID.map(({ field, value }) => [field, value])),
      );

      expect(fieldErrors).toEqual([]);
      expect(params).toStrictEqual(
        Object.fromEntries(VALID.map(({ field, wire }) => [field, wire])),
      );
    });
  });

  describe('validation', () => {
    it.each(['firstName', 'lastName', 'middleName', 'suffix1', 'suffix2'] as const)(
      'refuses an empty %s',
      (field) => {
        const { params, fieldErrors } = toUserUpdateParams(inputOf([[field, '']]));

        expect(Object.keys(params)).toEqual([]);
        expect(fieldErrors).toEqual([{ field, message: expect.any(String) }]);
      },
    );

    it.each([
      ['9 digits', '555123456'],
      ['16 digits', '5551234567890123'],
      ['dashes', '555-123-4567'],
      ['spaces', '555 123 4567'],
      ['a leading +', '+15551234567'],
      ['letters', '555ABC4567'],
      ['parentheses', '(555)1234567'],
      ['a trailing newline', '5551234567\n'],
      ['non-ASCII digits', '５５５１２３４５６７'],
    ])('refuses a phoneNumber with %s', (_case, phoneNumber) => {
      const { params, fieldErrors } = toUserUpdateParams({ phoneNumber });

      expect(Object.keys(params)).toEqual([]);
      expect(fieldErrors).toEqual([{ field: 'phoneNumber', message: expect.any(String) }]);
      expect(fieldErrors[0]?.message).not.toContain(phoneNumber);
    });

    it.each([
      ['10 digits', '5551234567'],
      ['15 digits', '441234567890123'],
    ])('accepts a phoneNumber of %s', (_case, phoneNumber) => {
      expect(toUserUpdateParams({ phoneNumber })).toStrictEqual({
        params: { phoneNumber },
        fieldErrors: [],
      });
    });

    it('refuses level ADMIN together with hasDashboardAccess false, on hasDashboardAccess', () => {
      const { fieldErrors } = toUserUpdateParams({ level: 'ADMIN', hasDashboardAccess: false });

      expect(fieldErrors).toEqual([{ field: 'hasDashboardAccess', message: expect.any(String) }]);
    });

    it.each([
      [
        { level: 'ADMIN', hasDashboardAccess: true },
        { level: 'admin', hasDashboardAccess: true },
      ],
      [
        { level: 'MEMBER', hasDashboardAccess: false },
        { level: 'member', hasDashboardAccess: false },
      ],
      [{ level: 'ADMIN' }, { level: 'admin' }],
      [{ hasDashboardAccess: false }, { hasDashboardAccess: false }],
    ] as const)('accepts %p', (input, params) => {
      expect(toUserUpdateParams(input)).toStrictEqual({ params, fieldErrors: [] });
    });

    it('lists every offending field at once', () => {
      const { fieldErrors } = toUserUpdateParams({
        firstName: '',
        lastName: 'Johnson',
        phoneNumber: '555-1234',
        suffix2: '',
        canManageStudies: null,
        level: 'ADMIN',
        hasDashboardAccess: false,
        middleName: null,
      });

      expect(fieldsOf(fieldErrors)).toEqual(
        ['canManageStudies', 'firstName', 'hasDashboardAccess', 'phoneNumber', 'suffix2'].sort(),
      );
      for (const { message } of fieldErrors) expect(message).toEqual(expect.any(String));
    });
  });
});
