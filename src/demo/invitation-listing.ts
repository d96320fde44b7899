/**
 * `GET /v1/viewer/users/invitations`: its query (dates, expiry, comma-joined statuses, userId)
 * and its filter, as the reference documents them.
 */
import type { AvaraInvitation } from '../avara/types.js';
import { AVARA_INVITATION_EXPIRIES, AVARA_INVITATION_STATUSES } from '../avara/types.js';
import {
  oneOf,
  pageOf,
  parsePageQuery,
  type Page,
  type PageQuery,
  type QueryCheck,
} from './listing.js';

export interface InvitationListQuery extends PageQuery {
  /** `YYYY-MM-DD`: created on or after. */
  startDate?: string;
  /** `YYYY-MM-DD`: created on or before. */
  endDate?: string;
  expired?: string;
  statuses?: ReadonlySet<string>;
  userId?: string;
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function isDay(value: string): boolean {
  return DATE_PATTERN.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

export function parseInvitationListQuery(params: URLSearchParams): QueryCheck<InvitationListQuery> {
  const problems: string[] = [];
  const page = parsePageQuery(params, problems);
  const startDate = params.get('startDate');
  if (startDate !== null && !isDay(startDate)) problems.push('startDate must be YYYY-MM-DD');
  const endDate = params.get('endDate');
  if (endDate !== null && !isDay(endDate)) problems.push('endDate must be YYYY-MM-DD');
  const expired = params.get('expired');
  if (!oneOf(AVARA_INVITATION_EXPIRIES, expired)) {
    problems.push(`expired must be one of: ${AVARA_INVITATION_EXPIRIES.join(', ')}`);
  }
  const status = params.get('status');
  const statuses = status === null ? undefined : status.split(',');
  if (statuses?.some((value) => !oneOf(AVARA_INVITATION_STATUSES, value))) {
    problems.push(
      `status must be a comma-separated list of: ${AVARA_INVITATION_STATUSES.join(', ')}`,
    );
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    query: {
      ...page,
      startDate: startDate ?? undefined,
      endDate: endDate ?? undefined,
      expired: expired ?? undefined,
      statuses: statuses === undefined ? undefined : new Set(statuses),
      userId: params.get('userId') ?? undefined,
    },
  };
}

/** Whether an invitation's expiry has passed at `now`; one that never expires never has. */
export function hasExpired(invitation: AvaraInvitation, now: number): boolean {
  return invitation.expiry != null && Date.parse(invitation.expiry) <= now;
}

function matches(invitation: AvaraInvitation, query: InvitationListQuery, now: number): boolean {
  const createdDay = invitation.createdAt?.slice(0, 10);
  return (
    (query.startDate === undefined ||
      (createdDay !== undefined && createdDay >= query.startDate)) &&
    (query.endDate === undefined || (createdDay !== undefined && createdDay <= query.endDate)) &&
    (query.expired === undefined ||
      query.expired === 'all' ||
      (query.expired === 'expired') === hasExpired(invitation, now)) &&
    (query.statuses === undefined || query.statuses.has(invitation.status)) &&
    (query.userId === undefined || invitation.userId === query.userId)
  );
}

export function listInvitations(
  invitations: Iterable<AvaraInvitation>,
  query: InvitationListQuery,
  now: number = Date.now(),
): Page<AvaraInvitation> {
  return pageOf(invitations, (invitation) => matches(invitation, query, now), query);
}
