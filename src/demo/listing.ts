/**
 * `GET /v1/viewer/users`: query parsing, filtering and cursor pagination. The cursor is opaque to
 * clients; here it is the base64url of `o:<offset>`, checked strictly so a tampered or foreign
 * cursor is a 400, as the real API answers it, rather than a silently wrong page.
 */
import type { AvaraUser } from '../avara/types.js';
import { AVARA_INVITED_SOURCES, AVARA_USER_LEVELS } from '../avara/types.js';

/** @see the reference: `limit` 1–100, default 20. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface UserListQuery {
  offset: number;
  limit: number;
  email?: string;
  /** Lower-cased, matched as a substring. */
  firstName?: string;
  /** Lower-cased, matched as a substring. */
  lastName?: string;
  invitedSource?: string;
  level?: string;
}

export interface UserListPage {
  users: AvaraUser[];
  /** The next page's cursor; empty when there is none. */
  cursor: string;
  hasMore: boolean;
}

const CURSOR_PATTERN = /^o:(0|[1-9]\d{0,8})$/;
const LIMIT_PATTERN = /^[1-9]\d{0,2}$/;

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

/** The offset a cursor stands for, or `undefined` when it is not one this API issued. */
export function decodeCursor(cursor: string): number | undefined {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // Node's base64url decoder skips junk characters; re-encoding catches them.
  if (match === null || encodeCursor(Number(match[1])) !== cursor) return undefined;
  return Number(match[1]);
}

function oneOf(allowed: readonly string[], value: string | null): boolean {
  return value === null || allowed.includes(value);
}

export type UserListQueryCheck =
  { ok: true; query: UserListQuery } | { ok: false; problems: readonly string[] };

/** Reads the list query; an empty `cursor` means the first page. Unknown parameters are ignored. */
export function parseUserListQuery(params: URLSearchParams): UserListQueryCheck {
  const problems: string[] = [];
  const cursor = params.get('cursor') ?? '';
  const offset = cursor === '' ? 0 : decodeCursor(cursor);
  if (offset === undefined) problems.push('cursor is invalid');

  const limitParam = params.get('limit');
  const limit = limitParam === null ? DEFAULT_PAGE_SIZE : Number(limitParam);
  if (limitParam !== null && (!LIMIT_PATTERN.test(limitParam) || limit > MAX_PAGE_SIZE)) {
    problems.push(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  const invitedSource = params.get('invitedSource');
  if (!oneOf(AVARA_INVITED_SOURCES, invitedSource)) {
    problems.push(`invitedSource must be one of: ${AVARA_INVITED_SOURCES.join(', ')}`);
  }
  const level = params.get('level');
  if (!oneOf(AVARA_USER_LEVELS, level)) {
    problems.push(`level must be one of: ${AVARA_USER_LEVELS.join(', ')}`);
  }
  if (problems.length > 0 || offset === undefined) return { ok: false, problems };

  return {
    ok: true,
    query: {
      offset,
      limit,
      email: params.get('email') ?? undefined,
      firstName: params.get('firstName')?.toLowerCase(),
      lastName: params.get('lastName')?.toLowerCase(),
      invitedSource: invitedSource ?? undefined,
      level: level ?? undefined,
    },
  };
}

function matches(user: AvaraUser, query: UserListQuery): boolean {
  return (
    (query.email === undefined || user.email === query.email) &&
    (query.firstName === undefined || user.firstName.toLowerCase().includes(query.firstName)) &&
    (query.lastName === undefined || user.lastName.toLowerCase().includes(query.lastName)) &&
    (query.invitedSource === undefined || user.invitedSource === query.invitedSource) &&
    (query.level === undefined || user.level === query.level)
  );
}

/** One page of the users matching the query, in store order. */
export function listUsers(users: Iterable<AvaraUser>, query: UserListQuery): UserListPage {
  const matching: AvaraUser[] = [];
  for (const user of users) if (matches(user, query)) matching.push(user);
  const end = query.offset + query.limit;
  const hasMore = end < matching.length;
  return {
    users: matching.slice(query.offset, end),
    cursor: hasMore ? encodeCursor(end) : '',
    hasMore,
  };
}
