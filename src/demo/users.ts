/**
 * The users resource: an in-memory store and the three endpoints the gateway uses
 * (see the reference's "Endpoints the gateway uses" table).
 */
import type { AvaraUser } from '../avara/types.js';
import type { DemoResponse } from './http.js';
import { errorResponse } from './http.js';
import { listUsers, parseUserListQuery } from './listing.js';
import { applyUserUpdate, checkUserUpdate } from './validation.js';

export const USERS_PATH = '/v1/viewer/users';
const USER_PATH_PREFIX = `${USERS_PATH}/`;

/** The users, by id, in seed order; `reset` puts the seed back. */
export class UserStore {
  readonly #seed: readonly AvaraUser[];
  #users = new Map<string, AvaraUser>();

  constructor(seed: readonly AvaraUser[]) {
    this.#seed = seed;
    this.reset();
  }

  get(userId: string): AvaraUser | undefined {
    return this.#users.get(userId);
  }

  /** Replaces a user in place, keeping its list position. */
  put(user: AvaraUser): void {
    this.#users.set(user.userId, user);
  }

  all(): Iterable<AvaraUser> {
    return this.#users.values();
  }

  reset(): void {
    this.#users = new Map(this.#seed.map((user) => [user.userId, { ...user }]));
  }
}

/** A request as the users routes need it: already authenticated, body already parsed. */
export interface UsersRequest {
  method: string;
  /** The path without its query string, still percent-encoded. */
  pathname: string;
  query: URLSearchParams;
  body: unknown;
  /** Turns a stored user into the answered one (a fault may repaint its `clinicRole`). */
  present: (user: AvaraUser) => AvaraUser;
}

const USER_NOT_FOUND = errorResponse(404, 'User not found');

/** Routes a request under `/v1/viewer/users`; `undefined` when the path is not one of ours. */
export function answerUsersRequest(
  store: UserStore,
  request: UsersRequest,
): DemoResponse | undefined {
  const { method, pathname } = request;
  if (pathname === USERS_PATH) {
    return method === 'GET' ? listPage(store, request) : methodNotAllowed(['GET']);
  }
  if (!pathname.startsWith(USER_PATH_PREFIX)) return undefined;
  const segment = pathname.slice(USER_PATH_PREFIX.length);
  if (segment === '' || segment.includes('/')) return undefined;
  if (method !== 'GET' && method !== 'PATCH') return methodNotAllowed(['GET', 'PATCH']);

  const userId = decodePathSegment(segment);
  if (userId === undefined)
    return errorResponse(400, 'userId path parameter is not valid percent-encoding');
  const user = store.get(userId);
  if (user === undefined) return USER_NOT_FOUND;
  if (method === 'GET') return { status: 200, body: request.present(user) };
  return updateUser(store, user, request);
}

function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function methodNotAllowed(allowed: readonly string[]): DemoResponse {
  return {
    ...errorResponse(405, `Method not allowed; use ${allowed.join(' or ')}`),
    headers: { allow: allowed.join(', ') },
  };
}

function listPage(store: UserStore, { query, present }: UsersRequest): DemoResponse {
  const checked = parseUserListQuery(query);
  if (!checked.ok) return errorResponse(400, checked.problems.join('; '));
  const page = listUsers(store.all(), checked.query);
  return { status: 200, body: { ...page, users: page.users.map(present) } };
}

function updateUser(
  store: UserStore,
  user: AvaraUser,
  { body, present }: UsersRequest,
): DemoResponse {
  if (body === undefined) return errorResponse(400, 'body must be a JSON object');
  const checked = checkUserUpdate(body, user);
  if (!checked.ok) return errorResponse(400, checked.problems.join('; '));
  const updated = applyUserUpdate(user, checked.update);
  store.put(updated);
  return { status: 200, body: present(updated) };
}
