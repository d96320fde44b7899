/**
 * The users endpoints: retrieve, update, list, invite, revoke access and reactivate (the
 * reference's endpoint table). Inviting creates the user and its pending invitation together.
 */
import type { AvaraInvitation, AvaraUser } from '../avara/types.js';
import type { DemoResponse } from './http.js';
import { errorResponse } from './http.js';
import { checkUserInvite } from './invite-validation.js';
import { listUsers, parseUserListQuery } from './listing.js';
import { decodePathSegment, methodNotAllowed, userIdOf, type RouteRequest } from './routes.js';
import { DEMO_API_KEY_ID, DEMO_CLINIC_ID } from './seed.js';
import { newId } from './store.js';
import { applyUserUpdate, checkUserUpdate } from './validation.js';

export const USERS_PATH = '/v1/viewer/users';
const USER_PATH_PREFIX = `${USERS_PATH}/`;
const REVOKE_ACCESS_PATH = `${USERS_PATH}/revoke-access`;
const REACTIVATE_PATH = `${USERS_PATH}/reactivate`;

/** How long an invitation sent through the API stays valid. */
const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

const USER_NOT_FOUND = errorResponse(404, 'User not found');

/** Routes a request under `/v1/viewer/users`; `undefined` when the path is not one of ours. */
export function answerUsersRequest(request: RouteRequest): DemoResponse | undefined {
  const { method, pathname } = request;
  if (pathname === USERS_PATH) {
    if (method === 'GET') return listPage(request);
    if (method === 'POST') return invite(request);
    return methodNotAllowed(['GET', 'POST']);
  }
  if (pathname === REVOKE_ACCESS_PATH || pathname === REACTIVATE_PATH) {
    if (method !== 'POST') return methodNotAllowed(['POST']);
    return setAccess(request, pathname === REVOKE_ACCESS_PATH ? 'revoke' : 'reactivate');
  }
  if (!pathname.startsWith(USER_PATH_PREFIX)) return undefined;
  const segment = pathname.slice(USER_PATH_PREFIX.length);
  if (segment === '' || segment.includes('/')) return undefined;
  if (method !== 'GET' && method !== 'PATCH') return methodNotAllowed(['GET', 'PATCH']);

  const userId = decodePathSegment(segment);
  if (userId === undefined)
    return errorResponse(400, 'userId path parameter is not valid percent-encoding');
  const user = request.stores.users.get(userId);
  if (user === undefined) return USER_NOT_FOUND;
  if (method === 'GET') return { status: 200, body: request.present(user) };
  return updateUser(user, request);
}

function listPage({ query, present, stores }: RouteRequest): DemoResponse {
  const checked = parseUserListQuery(query);
  if (!checked.ok) return errorResponse(400, checked.problems.join('; '));
  const { items, ...page } = listUsers(stores.users.all(), checked.query);
  return { status: 200, body: { users: items.map(present), ...page } };
}

function updateUser(user: AvaraUser, { body, present, stores }: RouteRequest): DemoResponse {
  if (body === undefined) return errorResponse(400, 'body must be a JSON object');
  const checked = checkUserUpdate(body, user);
  if (!checked.ok) return errorResponse(400, checked.problems.join('; '));
  const updated = applyUserUpdate(user, checked.update);
  stores.users.put(updated);
  return { status: 200, body: present(updated) };
}

function isEmailTaken({ stores }: RouteRequest, email: string): boolean {
  const wanted = email.toLowerCase();
  for (const user of stores.users.all()) if (user.email.toLowerCase() === wanted) return true;
  for (const invitation of stores.invitations.all()) {
    if (invitation.status === 'sent' && invitation.email.toLowerCase() === wanted) return true;
  }
  return false;
}

function invite(request: RouteRequest): DemoResponse {
  const checked = checkUserInvite(request.body);
  if (!checked.ok) return errorResponse(400, checked.problems.join('; '));
  const { invite: params } = checked;
  if (isEmailTaken(request, params.email)) {
    return errorResponse(409, 'A user with this email already exists');
  }
  const createdAt = new Date(request.now).toISOString();
  const user: AvaraUser = {
    ...params,
    userId: newId('usr_'),
    invitedSource: 'api',
    createdAt,
    lastLoginAt: null,
  };
  const invitation: AvaraInvitation = {
    ...params,
    invitationId: newId('inv_'),
    userId: user.userId,
    status: 'sent',
    invitedSource: 'api',
    clinicId: DEMO_CLINIC_ID,
    inviterId: null,
    invitedByApiKeyId: DEMO_API_KEY_ID,
    expiry: new Date(request.now + INVITATION_LIFETIME_MS).toISOString(),
    createdAt,
    updatedAt: createdAt,
  };
  request.stores.users.put(user);
  request.stores.invitations.put(invitation);
  return { status: 201, body: request.present(user) };
}

function setAccess(request: RouteRequest, change: 'revoke' | 'reactivate'): DemoResponse {
  const userId = userIdOf(request.body);
  if (userId === undefined) return errorResponse(400, 'userId must be a string');
  const { users } = request.stores;
  const user = users.get(userId);
  if (user === undefined) return USER_NOT_FOUND;
  if (change === 'revoke') {
    if (user.level === 'owner') return errorResponse(400, "The owner's access cannot be revoked");
    if (users.isRevoked(userId)) return errorResponse(400, 'User access is already revoked');
    users.setRevoked(userId, true);
    return { status: 200, body: { success: true, message: 'User access revoked successfully' } };
  }
  if (!users.isRevoked(userId)) return errorResponse(400, 'User is not deactivated');
  users.setRevoked(userId, false);
  return { status: 200, body: { success: true, message: 'User reactivated successfully' } };
}
