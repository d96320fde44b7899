/**
 * `UserPatchInput` → Avara's PATCH body, with patch semantics: an absent field stays absent, an
 * explicit `null` clears the fields that can be cleared, and everything else is refused before
 * anything is sent.
 */
import type { UserPatchInput } from '../__generated__/resolvers-types.js';
import type { AvaraUserUpdateParams } from '../avara/types.js';
import { ASSIGNABLE_USER_LEVEL_WIRE_VALUES, CLINIC_ROLE_WIRE_VALUES } from './enums.js';
import { TEXT_RULES, type FieldError } from './validation.js';

type PatchField = keyof UserPatchInput & keyof AvaraUserUpdateParams;

interface FieldRule<Input, Wire> {
  /** Whether `null` clears the field (sent as JSON `null`) rather than being refused. */
  clearable: boolean;
  /** The problem with a value, if any. */
  check?: (value: Input) => string | undefined;
  /** The wire value of a valid input value. */
  toWire: (value: Input) => Wire;
}

type FieldRules = {
  [Field in PatchField]-?: FieldRule<
    NonNullable<UserPatchInput[Field]>,
    NonNullable<AvaraUserUpdateParams[Field]>
  >;
};

const same = <T>(value: T): T => value;

/** One rule per updatable field, in the order Avara's reference lists them. */
export const USER_PATCH_RULES: FieldRules = {
  canManageStudies: { clearable: false, toWire: same },
  clinicRole: { clearable: true, toWire: (role) => CLINIC_ROLE_WIRE_VALUES[role] },
  firstName: { clearable: false, check: TEXT_RULES.name, toWire: same },
  hasDashboardAccess: { clearable: false, toWire: same },
  lastName: { clearable: false, check: TEXT_RULES.name, toWire: same },
  level: { clearable: false, toWire: (level) => ASSIGNABLE_USER_LEVEL_WIRE_VALUES[level] },
  middleName: { clearable: true, check: TEXT_RULES.name, toWire: same },
  phoneNumber: { clearable: true, check: TEXT_RULES.phoneNumber, toWire: same },
  suffix1: { clearable: true, check: TEXT_RULES.name, toWire: same },
  suffix2: { clearable: true, check: TEXT_RULES.name, toWire: same },
};

const PATCH_FIELDS = Object.keys(USER_PATCH_RULES) as PatchField[];

export interface UserPatch {
  params: AvaraUserUpdateParams;
  /** Every problem found; `params` must not be sent unless this is empty. */
  fieldErrors: FieldError[];
}

export function toUserUpdateParams(input: UserPatchInput): UserPatch {
  const params: Record<string, unknown> = {};
  const fieldErrors: FieldError[] = [];
  for (const field of PATCH_FIELDS) {
    const value = input[field];
    if (value === undefined) continue;
    // The union of rules is narrowed by `field` at run time; TypeScript cannot follow that.
    const rule = USER_PATCH_RULES[field] as FieldRule<unknown, unknown>;
    if (value === null) {
      if (rule.clearable) params[field] = null;
      else fieldErrors.push({ field, message: 'cannot be cleared: leave it out to keep it' });
      continue;
    }
    const problem = rule.check?.(value);
    if (problem === undefined) params[field] = rule.toWire(value);
    else fieldErrors.push({ field, message: problem });
  }
  if (input.level === 'ADMIN' && input.hasDashboardAccess === false) {
    fieldErrors.push({ field: 'hasDashboardAccess', message: 'must be true for ADMIN users' });
  }
  return { params: params as AvaraUserUpdateParams, fieldErrors };
}
