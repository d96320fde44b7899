import { describe, expect, it } from '@jest/globals';
import type { InvitationFilter, UserInviteInput } from '../../src/__generated__/resolvers-types.js';
import { toInvitationListFilter, toUserListFilter } from '../../src/graphql/list-filters.js';
import { toUserInviteParams } from '../../src/graphql/user-invite.js';
import { toUserUpdateParams } from '../../src/graphql/user-patch.js';
import { checkInvitationId, MAX_LENGTHS, TEXT_RULES } from '../../src/graphql/validation.js';

const VALID_INVITE: UserInviteInput = {
  email: 'new.user@hospital.org',
  firstName: 'Nia',
  lastName: 'Okoro',
  clinicRole: 'PHYSICIAN_ASSISTANT',
  level: 'MEMBER',
  canManageStudies: true,
  hasDashboardAccess: false,
};

const fieldsOf = (errors: readonly { field: string }[]) => errors.map(({ field }) => field);

describe('input checks', () => {
  describe('maximum lengths of every input string', () => {
    it.each([
      ['a name', TEXT_RULES.name, MAX_LENGTHS.name],
      ['an email', TEXT_RULES.email, MAX_LENGTHS.email],
      ['a date', TEXT_RULES.date, MAX_LENGTHS.date],
      ['a name filter', TEXT_RULES.filter(MAX_LENGTHS.name), MAX_LENGTHS.name],
      ['an email filter', TEXT_RULES.filter(MAX_LENGTHS.email), MAX_LENGTHS.email],
    ])('refuses %s one character over its limit (%#)', (_what, rule, max) => {
      expect(rule('a'.repeat(max + 1))).toBe(`must be at most ${max} characters`);
    });

    it('allows names of the contract minimum, 100 characters, and emails of 254', () => {
      expect(TEXT_RULES.name('n'.repeat(100))).toBeUndefined();
      expect(TEXT_RULES.email(`${'l'.repeat(64)}@${'d'.repeat(189)}`)).toBeUndefined();
    });

    it.each([['firstName'], ['middleName'], ['lastName'], ['suffix1'], ['suffix2']] as const)(
      'refuses a %s of 101 characters in an update',
      (field) => {
        expect(toUserUpdateParams({ [field]: 'x'.repeat(101) }).fieldErrors).toEqual([
          { field, message: 'must be at most 100 characters' },
        ]);
      },
    );

    it('refuses an id over 36 characters before matching it', () => {
      expect(checkInvitationId(`inv_${'a'.repeat(1000)}`)).toEqual([
        { field: 'invitationId', message: 'must be at most 36 characters' },
      ]);
    });
  });

  describe('email', () => {
    it.each(['a@b', 'dr.johnson@hospital.org', 'o+tag@sub.example.co.uk'])(
      'accepts %s',
      (email) => {
        expect(TEXT_RULES.email(email)).toBeUndefined();
      },
    );

    it.each([
      ['no @', 'hospital.org'],
      ['two addresses', 'a@b,c@d'],
      ['a space', 'a b@c'],
      ['an empty local part', '@hospital.org'],
      ['an empty domain', 'a@'],
      ['a newline', 'a@b\nBcc: c@d'],
      ['a list with a space', 'a@b, c@d'],
    ])('refuses %s', (_case, email) => {
      expect(TEXT_RULES.email(email)).toMatch(/one address/);
    });
  });

  describe('dates', () => {
    it.each(['2024-01-01', '2024-02-29', '0050-06-15'])('accepts %s', (date) => {
      expect(TEXT_RULES.date(date)).toBeUndefined();
    });

    it.each([
      ['a day that does not exist', '2024-02-30'],
      ['a month that does not exist', '2024-13-01'],
      ['a date-time', '2024-01-01T00:00'],
      ['a short year', '24-01-01'],
      ['slashes', '2024/01/01'],
    ])('refuses %s', (_case, date) => {
      expect(TEXT_RULES.date(date)).toEqual(expect.any(String));
    });
  });

  describe('toUserInviteParams', () => {
    it('sends the required fields with wire enum values and leaves absent and null optional fields out', () => {
      expect(toUserInviteParams({ ...VALID_INVITE, middleName: null, suffix1: 'PA-C' })).toEqual({
        params: {
          email: 'new.user@hospital.org',
          firstName: 'Nia',
          lastName: 'Okoro',
          clinicRole: 'Physician Assistant',
          level: 'member',
          canManageStudies: true,
          hasDashboardAccess: false,
          suffix1: 'PA-C',
        },
        fieldErrors: [],
      });
    });

    it('lists every offending field at once', () => {
      const { fieldErrors } = toUserInviteParams({
        ...VALID_INVITE,
        email: 'not an address',
        firstName: '',
        lastName: 'x'.repeat(101),
        middleName: '',
        phoneNumber: '555-1234',
        suffix1: 'y'.repeat(101),
        suffix2: '',
        level: 'ADMIN',
        hasDashboardAccess: false,
      });

      expect(fieldsOf(fieldErrors)).toEqual([
        'email',
        'firstName',
        'lastName',
        'middleName',
        'phoneNumber',
        'suffix1',
        'suffix2',
        'hasDashboardAccess',
      ]);
      expect(JSON.stringify(fieldErrors)).not.toMatch(/not an address|555-1234/);
    });
  });

  describe('toUserListFilter', () => {
    it('maps enums to wire values and leaves null fields out', () => {
      expect(
        toUserListFilter({
          level: 'ADMIN',
          invitedSource: 'DASHBOARD',
          email: null,
          lastName: 'son',
        }),
      ).toEqual({
        filter: { level: 'admin', invitedSource: 'dashboard', lastName: 'son' },
        fieldErrors: [],
      });
    });

    it('refuses empty and over-long text filters, every one at once', () => {
      expect(
        fieldsOf(
          toUserListFilter({ email: 'e'.repeat(255), firstName: '', lastName: 'l'.repeat(101) })
            .fieldErrors,
        ),
      ).toEqual(['email', 'firstName', 'lastName']);
    });
  });

  describe('toInvitationListFilter', () => {
    it("deduplicates statuses into Avara's order and maps every field to its wire value", () => {
      expect(
        toInvitationListFilter({
          status: ['REVOKED', 'SENT', 'REVOKED'],
          expired: 'NOT_EXPIRED',
          startDate: '2024-01-01',
          endDate: '2024-01-31',
          userId: 'usr_1234567890abcdef1234567890abcdef',
        }),
      ).toEqual({
        filter: {
          status: ['sent', 'revoked'],
          expired: 'not-expired',
          startDate: '2024-01-01',
          endDate: '2024-01-31',
          userId: 'usr_1234567890abcdef1234567890abcdef',
        },
        fieldErrors: [],
      });
    });

    it.each<[string, InvitationFilter, string[]]>([
      ['an empty status list', { status: [] }, ['status']],
      [
        'more statuses than exist',
        { status: ['SENT', 'SENT', 'SENT', 'SENT', 'SENT'] },
        ['status'],
      ],
      [
        'a bad startDate and a bad userId',
        { startDate: '2024-02-30', userId: 'usr_x' },
        ['startDate', 'userId'],
      ],
      [
        'an endDate before startDate',
        { startDate: '2024-02-01', endDate: '2024-01-31' },
        ['endDate'],
      ],
    ])('refuses %s', (_case, filter, fields) => {
      expect(fieldsOf(toInvitationListFilter(filter).fieldErrors)).toEqual(fields);
    });
  });
});
