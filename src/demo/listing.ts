/**
 * Cursor pagination and the users list's query, as the real API has them. Avara's cursor is
 * opaque to clients; the SDK tests show standard base64 of `{"offset":N}` (`eyJvZmZzZXQiOjIwfQ==`),
 * which is what this fake issues, padding and all, so the gateway's handling of `+`, `/` and `=`
 * in a query value is exercised. Decoding is strict: a tampered or foreign cursor is a 400, as
 * the real API answers it, rather than a silently wrong page.
 */
import type { AvaraUser } from '../avara/types.js';
import { AVARA_INVITED_SOURCES, AVARA_USER_LEVELS } from '../avara/types.js';

/** @see the reference: `limit` 1–100, default 20. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Where a page starts and how long it is. */
export interface PageQuery {
  offset: number;
  limit: number;
}

export interface UserListQuery extends PageQuery {
  email?: string;
  /** Lower-cased, matched as a substring. */
  firstName?: string;
  /** Lower-cased, matched as a substring. */
  lastName?: string;
  invitedSource?: string;
  level?: string;
}

/** A page of the API's shape: `cursor` is absent on the last page. */
export interface Page<Item> {
  items: Item[];
  hasMore: boolean;
  cursor?: string;
}

const OFFSET_JSON_PATTERN = /^\{"offset":(0|[1-9]\d{0,8})\}$/;
const LIMIT_PATTERN = /^[1-9]\d{0,2}$/;

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

/** The offset a cursor stands for, or `undefined` when it is not one this API issued. */
export function decodeCursor(cursor: string): number | undefined {
  if (cursor.length > 64) return undefined;
  const match = OFFSET_JSON_PATTERN.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  // Node's base64 decoder skips junk characters; re-encoding catches them.
  if (match === null || encodeCursor(Number(match[1])) !== cursor) return undefined;
  return Number(match[1]);
}

export function oneOf(allowed: readonly string[], value: string | null): boolean {
  return value === null || allowed.includes(value);
}

export type QueryCheck<Query> =
  { ok: true; query: Query } | { ok: false; problems: readonly string[] };

/** Reads `cursor` (empty: the first page) and `limit`, adding any problem to `problems`. */
export function parsePageQuery(params: URLSearchParams, problems: string[]): PageQuery {
  const cursor = params.get('cursor') ?? '';
  const offset = cursor === '' ? 0 : decodeCursor(cursor);
  if (offset === undefined) problems.push('cursor is invalid');

  const limitParam = params.get('limit');
  const limit = limitParam === null ? DEFAULT_PAGE_SIZE : Number(limitParam);
  if (limitParam !== null && (!LIMIT_PATTERN.test(limitParam) || limit > MAX_PAGE_SIZE)) {
    problems.push(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return { offset: offset ?? 0, limit };
}

/** Reads the list query. Unknown parameters are ignored. */
export function parseUserListQuery(params: URLSearchParams): QueryCheck<UserListQuery> {
  const problems: string[] = [];
  const page = parsePageQuery(params, problems);
  const invitedSource = params.get('invitedSource');
  if (!oneOf(AVARA_INVITED_SOURCES, invitedSource)) {
    problems.push(`invitedSource must be one of: ${AVARA_INVITED_SOURCES.join(', ')}`);
  }
  const level = params.get('level');
  if (!oneOf(AVARA_USER_LEVELS, level)) {
    problems.push(`level must be one of: ${AVARA_USER_LEVELS.join(', ')}`);
  }
  if (problems.length > 0) return { ok: false, problems };

  return {
    ok: true,
    query: {
      ...page,
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

/** One page of the items that match, in store order. */
export function pageOf<Item>(
  items: Iterable<Item>,
  isMatch: (item: Item) => boolean,
  { offset, limit }: PageQuery,
): Page<Item> {
  const matching: Item[] = [];
  for (const item of items) if (isMatch(item)) matching.push(item);
  const end = offset + limit;
  const hasMore = end < matching.length;
  return {
    items: matching.slice(offset, end),
    hasMore,
    ...(hasMore && { cursor: encodeCursor(end) }),
  };
}

/** One page of the users matching the query, in store order. */
export function listUsers(users: Iterable<AvaraUser>, query: UserListQuery): Page<AvaraUser> {
  return pageOf(users, (user) => matches(user, query), query);
}
