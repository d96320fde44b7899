/**
 * The invitations endpoints: list, retrieve, update (a pending one only) and revoke.
 */
import type { AvaraInvitation } from '../avara/types.js';
import type { DemoResponse } from './http.js';
import { errorResponse } from './http.js';
import { hasExpired, listInvitations, parseInvitationListQuery } from './invitation-listing.js';
import { decodePathSegment, methodNotAllowed, userIdOf, type RouteRequest } from './routes.js';
import { applyUserUpdate, checkUserUpdate } from './validation.js';

export const INVITATIONS_PATH = '/v1/viewer/users/invitations';
const INVITATION_PATH_PREFIX = `${INVITATIONS_PATH}/`;
const REVOKE_PATH = `${INVITATIONS_PATH}/revoke`;

const INVITATION_NOT_FOUND = errorResponse(404, 'Invitation not found');

/** Routes a request under `/v1/viewer/users/invitations`; `undefined` when it is not one of ours. */
export function answerInvitationsRequest(request: RouteRequest): DemoResponse | undefined {
  const { method, pathname } = request;
  if (pathname === INVITATIONS_PATH) {
    return method === 'GET' ? listPage(request) : methodNotAllowed(['GET']);
  }
  if (pathname === REVOKE_PATH)
    return method === 'POST' ? revoke(request) : methodNotAllowed(['POST']);
  if (!pathname.startsWith(INVITATION_PATH_PREFIX)) return undefined;
  const segment = pathname.slice(INVITATION_PATH_PREFIX.length);
  if (segment === '' || segment.includes('/')) return undefined;
  if (method !== 'GET' && method !== 'PATCH') return methodNotAllowed(['GET', 'PATCH']);

  const invitationId = decodePathSegment(segment);
  if (invitationId === undefined) {
    return errorResponse(400, 'invitationId path parameter is not valid percent-encoding');
  }
  const invitation = request.stores.invitations.get(invitationId);
  if (invitation === undefined) return INVITATION_NOT_FOUND;
  if (method === 'GET') return { status: 200, body: request.present(invitation) };
  return update(invitation, request);
}

function listPage({ query, present, stores, now }: RouteRequest): DemoResponse {
  const checked = parseInvitationListQuery(query);
  if (!checked.ok) return errorResponse(400, checked.problems.join('; '));
  const { items, ...page } = listInvitations(stores.invitations.all(), checked.query, now);
  return { status: 200, body: { invitations: items.map(present), ...page } };
}

function isPending(invitation: AvaraInvitation, now: number): boolean {
  return invitation.status === 'sent' && !hasExpired(invitation, now);
}

function update(invitation: AvaraInvitation, request: RouteRequest): DemoResponse {
  const { body, present, stores, now } = request;
  if (!isPending(invitation, now)) {
    return errorResponse(422, 'Only a pending invitation (sent, not expired) can be changed');
  }
  if (body === undefined) return errorResponse(400, 'body must be a JSON object');
  const checked = checkUserUpdate(body, invitation);
  if (!checked.ok) return errorResponse(400, checked.problems.join('; '));
  const updated = {
    ...applyUserUpdate(invitation, checked.update),
    updatedAt: new Date(now).toISOString(),
  };
  stores.invitations.put(updated);
  return { status: 200, body: present(updated) };
}

/** The invitation a revoke body names: by id, by the invitee's user id, or by both at once. */
function findInvitation(request: RouteRequest): AvaraInvitation | DemoResponse {
  const { body, stores } = request;
  const invitationId =
    typeof body === 'object' && body !== null
      ? (body as { invitationId?: unknown }).invitationId
      : undefined;
  const userId = userIdOf(body);
  if (invitationId !== undefined && typeof invitationId !== 'string') {
    return errorResponse(400, 'invitationId must be a string');
  }
  if (invitationId === undefined && userId === undefined) {
    return errorResponse(400, 'invitationId or userId is required');
  }
  if (invitationId !== undefined) {
    const invitation = stores.invitations.get(invitationId);
    if (invitation === undefined || (userId !== undefined && invitation.userId !== userId)) {
      return INVITATION_NOT_FOUND;
    }
    return invitation;
  }
  let found: AvaraInvitation | undefined;
  for (const invitation of stores.invitations.all()) {
    if (invitation.userId === userId && (found === undefined || invitation.status === 'sent')) {
      found = invitation;
    }
  }
  return found ?? INVITATION_NOT_FOUND;
}

function revoke(request: RouteRequest): DemoResponse {
  const found = findInvitation(request);
  if (!('invitationId' in found)) return found;
  if (!isPending(found, request.now)) {
    return errorResponse(422, 'Only a pending invitation (sent, not expired) can be revoked');
  }
  request.stores.invitations.put({
    ...found,
    status: 'revoked',
    updatedAt: new Date(request.now).toISOString(),
  });
  return { status: 200, body: { success: true, message: 'Invitation revoked successfully' } };
}
