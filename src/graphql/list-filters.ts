/**
 * `UserFilter` / `InvitationFilter` → Avara's list query parameters, with wire enum values,
 * checked before anything is sent. The result is normalised (absent and `null` alike left out,
 * statuses deduplicated in Avara's order), because it is also what a cursor's filter digest is
 * taken over: two spellings of one filter resume each other's cursors.
 */
import type { InvitationFilter, UserFilter } from '../__generated__/resolvers-types.js';
import type { AvaraInvitationListParams, AvaraUserListParams } from '../avara/types.js';
import {
  INVITATION_EXPIRY_WIRE_VALUES,
  INVITATION_STATUS_WIRE_VALUES,
  INVITED_SOURCE_WIRE_VALUES,
  USER_LEVEL_WIRE_VALUES,
} from './enums.js';
import { checkText, checkUserId, MAX_LENGTHS, TEXT_RULES, type FieldError } from './validation.js';

export type UserListFilter = Omit<AvaraUserListParams, 'cursor' | 'limit'>;
export type InvitationListFilter = Omit<AvaraInvitationListParams, 'cursor' | 'limit'>;

export interface CheckedFilter<Filter> {
  filter: Filter;
  /** Every problem found; nothing may be sent unless this is empty. */
  fieldErrors: FieldError[];
}

const STATUS_ORDER = Object.values(INVITATION_STATUS_WIRE_VALUES);

/** The most `status` entries taken: each of the four at most once. */
export const MAX_STATUS_ENTRIES = STATUS_ORDER.length;

export function toUserListFilter(
  input: UserFilter | null | undefined,
): CheckedFilter<UserListFilter> {
  const filter: UserListFilter = {};
  const fieldErrors: FieldError[] = [];
  if (input == null) return { filter, fieldErrors };
  if (input.email != null) {
    fieldErrors.push(...checkText('email', input.email, TEXT_RULES.filter(MAX_LENGTHS.email)));
    filter.email = input.email;
  }
  if (input.firstName != null) {
    fieldErrors.push(
      ...checkText('firstName', input.firstName, TEXT_RULES.filter(MAX_LENGTHS.name)),
    );
    filter.firstName = input.firstName;
  }
  if (input.lastName != null) {
    fieldErrors.push(...checkText('lastName', input.lastName, TEXT_RULES.filter(MAX_LENGTHS.name)));
    filter.lastName = input.lastName;
  }
  if (input.level != null) filter.level = USER_LEVEL_WIRE_VALUES[input.level];
  if (input.invitedSource != null) {
    filter.invitedSource = INVITED_SOURCE_WIRE_VALUES[input.invitedSource];
  }
  return { filter, fieldErrors };
}

export function toInvitationListFilter(
  input: InvitationFilter | null | undefined,
): CheckedFilter<InvitationListFilter> {
  const filter: InvitationListFilter = {};
  const fieldErrors: FieldError[] = [];
  if (input == null) return { filter, fieldErrors };
  if (input.status != null) {
    if (input.status.length === 0) {
      fieldErrors.push({
        field: 'status',
        message: 'must list at least one status: leave it out for every status',
      });
    } else if (input.status.length > MAX_STATUS_ENTRIES) {
      fieldErrors.push({
        field: 'status',
        message: `must list at most ${MAX_STATUS_ENTRIES} statuses`,
      });
    } else {
      const wanted = new Set(input.status.map((status) => INVITATION_STATUS_WIRE_VALUES[status]));
      filter.status = STATUS_ORDER.filter((status) => wanted.has(status));
    }
  }
  if (input.expired != null) filter.expired = INVITATION_EXPIRY_WIRE_VALUES[input.expired];
  if (input.startDate != null) {
    fieldErrors.push(...checkText('startDate', input.startDate, TEXT_RULES.date));
    filter.startDate = input.startDate;
  }
  if (input.endDate != null) {
    const problems = checkText('endDate', input.endDate, TEXT_RULES.date);
    fieldErrors.push(...problems);
    filter.endDate = input.endDate;
    // Both are YYYY-MM-DD once valid, so text order is date order.
    const startValid =
      filter.startDate !== undefined && TEXT_RULES.date(filter.startDate) === undefined;
    if (problems.length === 0 && startValid && input.endDate < (filter.startDate ?? '')) {
      fieldErrors.push({ field: 'endDate', message: 'must not be before startDate' });
    }
  }
  if (input.userId != null) {
    fieldErrors.push(...checkUserId(input.userId));
    filter.userId = input.userId;
  }
  return { filter, fieldErrors };
}
