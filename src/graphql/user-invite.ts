/**
 * `UserInviteInput` → Avara's invite body. Every field is checked before anything is sent and
 * every problem is reported at once. Optional fields left out or set to `null` are both "not
 * given" and absent from the body: Avara never takes `null` on an invite.
 */
import type { UserInviteInput } from '../__generated__/resolvers-types.js';
import type { AvaraUserInviteParams } from '../avara/types.js';
import { ASSIGNABLE_USER_LEVEL_WIRE_VALUES, CLINIC_ROLE_WIRE_VALUES } from './enums.js';
import { checkText, TEXT_RULES, type FieldError, type TextRule } from './validation.js';

export interface UserInvite {
  params: AvaraUserInviteParams;
  /** Every problem found; `params` must not be sent unless this is empty. */
  fieldErrors: FieldError[];
}

/** The text fields of the invite and their rules, in the order Avara's reference lists them. */
const REQUIRED_TEXT: readonly ['email' | 'firstName' | 'lastName', TextRule][] = [
  ['email', TEXT_RULES.email],
  ['firstName', TEXT_RULES.name],
  ['lastName', TEXT_RULES.name],
];
const OPTIONAL_TEXT: readonly ['middleName' | 'phoneNumber' | 'suffix1' | 'suffix2', TextRule][] = [
  ['middleName', TEXT_RULES.name],
  ['phoneNumber', TEXT_RULES.phoneNumber],
  ['suffix1', TEXT_RULES.name],
  ['suffix2', TEXT_RULES.name],
];

export function toUserInviteParams(input: UserInviteInput): UserInvite {
  const fieldErrors: FieldError[] = [];
  const params: AvaraUserInviteParams = {
    email: input.email,
    firstName: input.firstName,
    lastName: input.lastName,
    clinicRole: CLINIC_ROLE_WIRE_VALUES[input.clinicRole],
    level: ASSIGNABLE_USER_LEVEL_WIRE_VALUES[input.level],
    canManageStudies: input.canManageStudies,
    hasDashboardAccess: input.hasDashboardAccess,
  };
  for (const [field, rule] of REQUIRED_TEXT)
    fieldErrors.push(...checkText(field, input[field], rule));
  for (const [field, rule] of OPTIONAL_TEXT) {
    const value = input[field];
    if (value == null) continue;
    fieldErrors.push(...checkText(field, value, rule));
    params[field] = value;
  }
  if (input.level === 'ADMIN' && !input.hasDashboardAccess) {
    fieldErrors.push({ field: 'hasDashboardAccess', message: 'must be true for ADMIN users' });
  }
  return { params, fieldErrors };
}
