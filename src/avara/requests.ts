/**
 * Every verb of the Viewer users resource as data: method, path, query, JSON body and the parser
 * of its 2xx answer. Pure, so the whole mapping is checked without HTTP; `client.ts` sends them.
 *
 * Paths are relative to `<baseUrl>/v1/viewer/`. Ids go in as percent-encoded path segments and
 * query values go through `URLSearchParams`, never spliced: Avara's cursor is an opaque value that
 * may hold `+`, `/` and `=`.
 */
import type { AnswerParser } from './answers.js';
import type { AvaraMethod } from './retry.js';
import {
  avaraInvitationPageSchema,
  avaraInvitationSchema,
  avaraSuccessSchema,
  avaraUserPageSchema,
  avaraUserSchema,
  type AvaraInvitation,
  type AvaraInvitationListParams,
  type AvaraInvitationPage,
  type AvaraInvitationRevokeParams,
  type AvaraSuccess,
  type AvaraUser,
  type AvaraUserInviteParams,
  type AvaraUserListParams,
  type AvaraUserPage,
  type AvaraUserUpdateParams,
} from './types.js';

/** One call to Avara, before it is sent. */
export interface AvaraRequest<T> {
  method: AvaraMethod;
  /** Relative to `<baseUrl>/v1/viewer/`, already encoded. */
  path: string;
  /** Sent as the query string; absent or empty: none. */
  query?: URLSearchParams;
  /** Sent as the JSON body. */
  json?: object;
  /** How the 2xx answer is read. */
  parser: AnswerParser<T>;
}

const user = (userId: string): AnswerParser<AvaraUser> => ({
  schema: avaraUserSchema,
  // An answer about another user is a broken upstream, never data to show.
  isExpected: (answered) => answered.userId === userId,
});

const invitation = (invitationId: string): AnswerParser<AvaraInvitation> => ({
  schema: avaraInvitationSchema,
  isExpected: (answered) => answered.invitationId === invitationId,
});

const success: AnswerParser<AvaraSuccess> = { schema: avaraSuccessSchema };

/**
 * The query string of a request. `URLSearchParams` encodes every value; the commas it escapes
 * are put back because Avara documents `status=sent,revoked` and a comma is a legal query
 * character (RFC 3986 sub-delims) that decodes the same either way.
 */
export function toQueryString(query: URLSearchParams): string {
  return query.toString().replaceAll('%2C', ',');
}

/**
 * Path and query string, as sent. got's own `searchParams` option would escape the commas again,
 * so the string `URLSearchParams` built is appended as it is.
 */
export function targetOf({ path, query }: Pick<AvaraRequest<unknown>, 'path' | 'query'>): string {
  return query === undefined || query.size === 0 ? path : `${path}?${toQueryString(query)}`;
}

/** `[name, value]` pairs to a query, in the given order, leaving out absent values. */
function toQuery(entries: readonly [string, string | number | undefined][]): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of entries) if (value !== undefined) query.append(name, String(value));
  return query;
}

export const userRequests = {
  /** `GET /v1/viewer/users/{userId}`. */
  retrieve: (userId: string): AvaraRequest<AvaraUser> => ({
    method: 'GET',
    path: `users/${encodePathSegment(userId)}`,
    parser: user(userId),
  }),
  /** `PATCH /v1/viewer/users/{userId}`: only the keys present in `params` change. */
  update: (userId: string, params: AvaraUserUpdateParams): AvaraRequest<AvaraUser> => ({
    method: 'PATCH',
    path: `users/${encodePathSegment(userId)}`,
    json: params,
    parser: user(userId),
  }),
  /** `GET /v1/viewer/users`: one page. */
  list: (params: AvaraUserListParams): AvaraRequest<AvaraUserPage> => ({
    method: 'GET',
    path: 'users',
    query: toQuery([
      ['cursor', params.cursor],
      ['limit', params.limit],
      ['email', params.email],
      ['firstName', params.firstName],
      ['lastName', params.lastName],
      ['level', params.level],
      ['invitedSource', params.invitedSource],
    ]),
    parser: { schema: avaraUserPageSchema },
  }),
  /** `POST /v1/viewer/users`: creates the user and emails the invitation. */
  invite: (params: AvaraUserInviteParams): AvaraRequest<AvaraUser> => ({
    method: 'POST',
    path: 'users',
    json: params,
    parser: { schema: avaraUserSchema },
  }),
  /** `POST /v1/viewer/users/revoke-access`. */
  revokeAccess: (userId: string): AvaraRequest<AvaraSuccess> => ({
    method: 'POST',
    path: 'users/revoke-access',
    json: { userId },
    parser: success,
  }),
  /** `POST /v1/viewer/users/reactivate`. */
  reactivate: (userId: string): AvaraRequest<AvaraSuccess> => ({
    method: 'POST',
    path: 'users/reactivate',
    json: { userId },
    parser: success,
  }),
};

export const invitationRequests = {
  /** `GET /v1/viewer/users/invitations`: one page. */
  list: (params: AvaraInvitationListParams): AvaraRequest<AvaraInvitationPage> => ({
    method: 'GET',
    path: 'users/invitations',
    query: toQuery([
      ['cursor', params.cursor],
      ['limit', params.limit],
      ['startDate', params.startDate],
      ['endDate', params.endDate],
      ['expired', params.expired],
      ['status', params.status?.join(',')],
      ['userId', params.userId],
    ]),
    parser: { schema: avaraInvitationPageSchema },
  }),
  /** `GET /v1/viewer/users/invitations/{invitationId}`. */
  retrieve: (invitationId: string): AvaraRequest<AvaraInvitation> => ({
    method: 'GET',
    path: `users/invitations/${encodePathSegment(invitationId)}`,
    parser: invitation(invitationId),
  }),
  /** `PATCH /v1/viewer/users/invitations/{invitationId}`: a pending invitation only. */
  update: (invitationId: string, params: AvaraUserUpdateParams): AvaraRequest<AvaraInvitation> => ({
    method: 'PATCH',
    path: `users/invitations/${encodePathSegment(invitationId)}`,
    json: params,
    parser: invitation(invitationId),
  }),
  /** `POST /v1/viewer/users/invitations/revoke`. */
  revoke: (params: AvaraInvitationRevokeParams): AvaraRequest<AvaraSuccess> => ({
    method: 'POST',
    path: 'users/invitations/revoke',
    json: params,
    parser: success,
  }),
};

/**
 * Percent-encodes one path segment, keeping RFC 3986 `pchar` characters as Avara's SDKs do.
 * An empty or dot segment is refused: URL parsers resolve `.`, `..` and even `%2E%2E`, so no
 * encoding keeps such an id inside its collection. Validation refuses them first; this is the
 * backstop.
 */
export function encodePathSegment(value: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new RangeError('An empty or dot path segment would leave its collection');
  }
  return encodeURIComponent(value).replace(/%(3A|40|24|26|2B|2C|3B|3D)/g, (_match, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}
