/**
 * The invite body rules of the real API (`POST /v1/viewer/users`): seven required fields, four
 * optional ones that are never `null`, owners not invitable, admins need the dashboard. Problems
 * name the field and the rule, never the value.
 */
import type { AvaraUserInviteParams } from '../avara/types.js';
import {
  booleanRule,
  describeKey,
  KNOWN_CLINIC_ROLES,
  PHONE_NUMBER_PATTERN,
  textRule,
  type FieldRule,
} from './validation.js';

type InviteField = keyof AvaraUserInviteParams;

const REQUIRED: ReadonlySet<InviteField> = new Set([
  'email',
  'firstName',
  'lastName',
  'clinicRole',
  'level',
  'canManageStudies',
  'hasDashboardAccess',
]);

const INVITE_RULES: Readonly<Record<InviteField, FieldRule>> = {
  // No SDK documents a format; the API at least wants something address-shaped.
  email: (value) =>
    typeof value === 'string' && /^[^\s@]+@[^\s@]+$/.test(value)
      ? undefined
      : 'email must be an email address',
  firstName: textRule('firstName', { nullable: false }),
  lastName: textRule('lastName', { nullable: false }),
  middleName: textRule('middleName', { nullable: false }),
  suffix1: textRule('suffix1', { nullable: false }),
  suffix2: textRule('suffix2', { nullable: false }),
  phoneNumber: (value) =>
    typeof value === 'string' && PHONE_NUMBER_PATTERN.test(value)
      ? undefined
      : 'phoneNumber must be a string of 10 to 15 digits',
  clinicRole: (value) =>
    KNOWN_CLINIC_ROLES.has(value) ? undefined : 'clinicRole must be a known clinic role',
  level: (value) => {
    if (value === 'owner') return 'level owner cannot be invited through the API';
    return value === 'admin' || value === 'member'
      ? undefined
      : 'level must be one of: admin, member';
  },
  canManageStudies: booleanRule('canManageStudies'),
  hasDashboardAccess: booleanRule('hasDashboardAccess'),
};

export type InviteCheck =
  { ok: true; invite: AvaraUserInviteParams } | { ok: false; problems: readonly string[] };

export function checkUserInvite(body: unknown): InviteCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: ['body must be a JSON object'] };
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (!Object.hasOwn(INVITE_RULES, key)) {
      problems.push(`${describeKey(key)} is not an invite field`);
      continue;
    }
    const problem = INVITE_RULES[key as InviteField](value);
    if (problem !== undefined) problems.push(problem);
  }
  for (const field of REQUIRED) {
    if (!Object.hasOwn(body, field)) problems.push(`${field} is required`);
  }
  // Every key has passed its rule and every required one is present.
  const invite = body as AvaraUserInviteParams;
  if (problems.length === 0 && invite.level === 'admin' && !invite.hasDashboardAccess) {
    problems.push('hasDashboardAccess must be true for admin users');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, invite };
}
