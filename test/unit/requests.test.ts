import { describe, expect, it } from '@jest/globals';
import {
  invitationRequests,
  toQueryString,
  userRequests,
  type AvaraRequest,
} from '../../src/avara/requests.js';

const USER_ID = 'usr_1234567890abcdef1234567890abcdef';
const INVITATION_ID = 'inv_1234567890abcdef1234567890abcdef';

const shape = ({ method, path, query, json }: Omit<AvaraRequest<unknown>, 'parser'>) => ({
  method,
  path,
  query: query === undefined ? undefined : toQueryString(query),
  json,
});

describe('Avara requests', () => {
  it.each([
    ['users.retrieve', userRequests.retrieve(USER_ID), { method: 'GET', path: `users/${USER_ID}` }],
    [
      'users.update',
      userRequests.update(USER_ID, { phoneNumber: null }),
      { method: 'PATCH', path: `users/${USER_ID}`, json: { phoneNumber: null } },
    ],
    [
      'users.list, first page',
      userRequests.list({ limit: 20 }),
      { method: 'GET', path: 'users', query: 'limit=20' },
    ],
    [
      'users.list, every filter and a cursor with + / =',
      userRequests.list({
        cursor: 'a+b/c==',
        limit: 5,
        email: 'a b@x.org',
        firstName: 'Ann&Co',
        lastName: 'O=Neil',
        level: 'admin',
        invitedSource: 'api',
      }),
      {
        method: 'GET',
        path: 'users',
        query:
          'cursor=a%2Bb%2Fc%3D%3D&limit=5&email=a+b%40x.org&firstName=Ann%26Co&lastName=O%3DNeil&level=admin&invitedSource=api',
      },
    ],
    [
      'users.invite',
      userRequests.invite({
        email: 'a@b.org',
        firstName: 'A',
        lastName: 'B',
        clinicRole: 'Doctor',
        level: 'member',
        canManageStudies: false,
        hasDashboardAccess: false,
      }),
      {
        method: 'POST',
        path: 'users',
        json: {
          email: 'a@b.org',
          firstName: 'A',
          lastName: 'B',
          clinicRole: 'Doctor',
          level: 'member',
          canManageStudies: false,
          hasDashboardAccess: false,
        },
      },
    ],
    [
      'users.revokeAccess',
      userRequests.revokeAccess(USER_ID),
      { method: 'POST', path: 'users/revoke-access', json: { userId: USER_ID } },
    ],
    [
      'users.reactivate',
      userRequests.reactivate(USER_ID),
      { method: 'POST', path: 'users/reactivate', json: { userId: USER_ID } },
    ],
    [
      'invitations.list, every filter, statuses comma-joined',
      invitationRequests.list({
        cursor: 'eyJvZmZzZXQiOjIwfQ==',
        limit: 100,
        startDate: '2024-01-01',
        endDate: '2024-12-31',
        expired: 'not-expired',
        status: ['sent', 'revoked'],
        userId: USER_ID,
      }),
      {
        method: 'GET',
        path: 'users/invitations',
        query: `cursor=eyJvZmZzZXQiOjIwfQ%3D%3D&limit=100&startDate=2024-01-01&endDate=2024-12-31&expired=not-expired&status=sent,revoked&userId=${USER_ID}`,
      },
    ],
    [
      'invitations.retrieve',
      invitationRequests.retrieve(INVITATION_ID),
      { method: 'GET', path: `users/invitations/${INVITATION_ID}` },
    ],
    [
      'invitations.update',
      invitationRequests.update(INVITATION_ID, { level: 'admin' }),
      { method: 'PATCH', path: `users/invitations/${INVITATION_ID}`, json: { level: 'admin' } },
    ],
    [
      'invitations.revoke',
      invitationRequests.revoke({ userId: USER_ID }),
      { method: 'POST', path: 'users/invitations/revoke', json: { userId: USER_ID } },
    ],
  ] as const)('%s', (_verb, request, expected) => {
    expect(shape(request)).toEqual({ query: undefined, json: undefined, ...expected });
  });

  describe('answer checks', () => {
    it.each([
      [
        'users.retrieve',
        userRequests.retrieve(USER_ID),
        { userId: USER_ID },
        { userId: 'usr_other' },
      ],
      [
        'invitations.retrieve',
        invitationRequests.retrieve(INVITATION_ID),
        { invitationId: INVITATION_ID },
        { invitationId: 'inv_other' },
      ],
      [
        'invitations.update',
        invitationRequests.update(INVITATION_ID, {}),
        { invitationId: INVITATION_ID },
        { invitationId: 'inv_other' },
      ],
    ] as const)('%s accepts only the resource asked for', (_verb, request, asked, other) => {
      const isExpected = request.parser.isExpected as (value: unknown) => boolean;

      expect(isExpected(asked)).toBe(true);
      expect(isExpected(other)).toBe(false);
    });
  });
});
