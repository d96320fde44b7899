/**
 * The PATCH body rules of the real API, one per updatable field, plus the one cross-field rule
 * (admins need dashboard access). Problems name the field and the rule, never the submitted
 * value: values may be personal data and error messages end up in logs.
 */
import type { AvaraInvitation, AvaraUser, AvaraUserUpdateParams } from '../avara/types.js';
import { KNOWN_CLINIC_ROLE_LABELS } from '../graphql/enums.js';

type UpdatableField = keyof AvaraUserUpdateParams;

/** A rule returns the problem with a value, or `undefined` when the value is acceptable. */
export type FieldRule = (value: unknown) => string | undefined;

export const PHONE_NUMBER_PATTERN = /^\d{10,15}$/;
const ASSIGNABLE_LEVELS: readonly unknown[] = ['admin', 'member'];
export const KNOWN_CLINIC_ROLES: ReadonlySet<unknown> = new Set(KNOWN_CLINIC_ROLE_LABELS);

export function booleanRule(field: string): FieldRule {
  return (value) => (typeof value === 'boolean' ? undefined : `${field} must be a boolean`);
}

export function textRule(field: string, { nullable }: { nullable: boolean }): FieldRule {
  const problem = `${field} must be a non-empty string${nullable ? ' or null' : ''}`;
  return (value) =>
    (nullable && value === null) || (typeof value === 'string' && value.length > 0)
      ? undefined
      : problem;
}

const FIELD_RULES: Readonly<Record<UpdatableField, FieldRule>> = {
  canManageStudies: booleanRule('canManageStudies'),
  hasDashboardAccess: booleanRule('hasDashboardAccess'),
  firstName: textRule('firstName', { nullable: false }),
  lastName: textRule('lastName', { nullable: false }),
  middleName: textRule('middleName', { nullable: true }),
  suffix1: textRule('suffix1', { nullable: true }),
  suffix2: textRule('suffix2', { nullable: true }),
  phoneNumber: (value) =>
    value === null || (typeof value === 'string' && PHONE_NUMBER_PATTERN.test(value))
      ? undefined
      : 'phoneNumber must be a string of 10 to 15 digits or null',
  level: (value) => {
    if (value === 'owner') return 'level owner cannot be assigned through the API';
    return ASSIGNABLE_LEVELS.includes(value) ? undefined : 'level must be one of: admin, member';
  },
  clinicRole: (value) =>
    value === null || KNOWN_CLINIC_ROLES.has(value)
      ? undefined
      : 'clinicRole must be a known clinic role or null',
};

function isUpdatableField(key: string): key is UpdatableField {
  return Object.hasOwn(FIELD_RULES, key);
}

/** Names a key the client sent without echoing an arbitrarily long string back. */
export function describeKey(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

export type UserUpdateCheck =
  { ok: true; update: AvaraUserUpdateParams } | { ok: false; problems: readonly string[] };

/** Checks a PATCH body against every rule at once, so one answer can list all problems. */
export function checkUserUpdate(
  body: unknown,
  current: Pick<AvaraUser, 'level' | 'hasDashboardAccess'>,
): UserUpdateCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: ['body must be a JSON object'] };
  }
  const problems: string[] = [];
  const accepted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'email') {
      problems.push('email cannot be changed');
    } else if (!isUpdatableField(key)) {
      problems.push(`${describeKey(key)} is not an updatable field`);
    } else {
      const problem = FIELD_RULES[key](value);
      if (problem === undefined) accepted[key] = value;
      else problems.push(problem);
    }
  }
  // Every accepted value has passed its field's rule, which is what the type promises.
  const update = accepted as AvaraUserUpdateParams;
  const level = update.level ?? current.level;
  const hasDashboardAccess = update.hasDashboardAccess ?? current.hasDashboardAccess;
  if (level === 'admin' && !hasDashboardAccess) {
    problems.push('hasDashboardAccess must be true for admin users');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, update };
}

/**
 * The user after an accepted update. `null` removes the key: the API leaves unset optional
 * fields out of its JSON rather than sending `null`.
 */
export function applyUserUpdate<Resource extends AvaraUser | AvaraInvitation>(
  user: Resource,
  update: AvaraUserUpdateParams,
): Resource {
  const next: Record<string, unknown> = { ...user };
  for (const [key, value] of Object.entries(update)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  // Only updatable fields with checked values were written over a valid user.
  return next as Resource;
}
