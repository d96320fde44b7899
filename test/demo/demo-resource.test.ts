/**
 * The demo API's users resource beyond retrieve/update: invite, revoke/reactivate and the
 * invitations endpoints, over real HTTP, as faithful to the reference as the gateway needs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  avaraInvitationPageSchema,
  avaraInvitationSchema,
  avaraUserSchema,
  INVITATION_ID_PATTERN,
  type AvaraInvitation,
} from '../../src/avara/types.js';
import {
  DEMO_API_KEY,
  DEMO_INVITATIONS,
  SEED_INVITATION_ID,
  startDemoAvara,
  type DemoAvara,
} from '../../src/demo/server.js';

let demo: DemoAvara;
beforeAll(async () => {
  demo = await startDemoAvara({ apiKeys: [DEMO_API_KEY] });
});
afterAll(() => demo.close());
beforeEach(() => demo.reset());

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${demo.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${DEMO_API_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads of arbitrary JSON
  return { status: response.status, json: (text === '' ? undefined : JSON.parse(text)) as any };
}

const INVITE = {
  email: 'n.okoro@hospital.org',
  firstName: 'Nia',
  lastName: 'Okoro',
  clinicRole: 'Scribe',
  level: 'member',
  canManageStudies: false,
  hasDashboardAccess: false,
};
const REVOCABLE = 'usr_7a1e5d9c3b2f4e8a6d0c1b9e7f3a5d24';
const OWNER = 'usr_0f3c9a2e7b814d6a9c5e2b7d1a8f4c60';
const invitationIds = (json: { invitations: AvaraInvitation[] }) =>
  json.invitations.map(({ invitationId }) => invitationId);

describe('demo Avara API, users resource', () => {
  describe('seed invitations', () => {
    it('covers every status, both sources, an expired pending one and one that never expires', () => {
      for (const invitation of DEMO_INVITATIONS) {
        expect(avaraInvitationSchema.parse(invitation)).toEqual(invitation);
        expect(invitation.invitationId).toMatch(INVITATION_ID_PATTERN);
      }
      expect(new Set(DEMO_INVITATIONS.map(({ status }) => status))).toEqual(
        new Set(['sent', 'accepted', 'rejected', 'revoked']),
      );
      expect(DEMO_INVITATIONS.some(({ expiry }) => expiry === null)).toBe(true);
      expect(DEMO_INVITATIONS.some(({ inviterId }) => inviterId === null)).toBe(true);
      expect(
        DEMO_INVITATIONS.some(
          ({ status, expiry }) =>
            status === 'sent' && expiry !== null && Date.parse(expiry ?? '') < Date.now(),
        ),
      ).toBe(true);
    });
  });

  describe('POST /v1/viewer/users (invite)', () => {
    it('creates the user (201) and a pending invitation for them', async () => {
      const created = await call('POST', '/v1/viewer/users', INVITE);
      const user = avaraUserSchema.parse(created.json);
      const invitations = await call('GET', `/v1/viewer/users/invitations?userId=${user.userId}`);

      expect(created.status).toBe(201);
      expect(user).toMatchObject({ ...INVITE, invitedSource: 'api', lastLoginAt: null });
      expect(invitations.json.invitations).toEqual([
        expect.objectContaining({
          userId: user.userId,
          email: INVITE.email,
          status: 'sent',
          inviterId: null,
        }),
      ]);
      expect((await call('GET', `/v1/viewer/users/${user.userId}`)).status).toBe(200);
    });

    it('answers 409 when the email is already in use, in any case', async () => {
      const answer = await call('POST', '/v1/viewer/users', {
        ...INVITE,
        email: 'DR.JOHNSON@hospital.org',
      });

      expect(answer).toEqual({
        status: 409,
        json: { message: 'A user with this email already exists' },
      });
    });

    it.each([
      ['a missing required field', { ...INVITE, lastName: undefined }, 'lastName is required'],
      ['an owner', { ...INVITE, level: 'owner' }, 'level owner cannot be invited through the API'],
      [
        'a null optional field',
        { ...INVITE, middleName: null },
        'middleName must be a non-empty string',
      ],
      [
        'an admin without dashboard access',
        { ...INVITE, level: 'admin' },
        'hasDashboardAccess must be true for admin users',
      ],
      ['an unknown field', { ...INVITE, userId: 'usr_x' }, '"userId" is not an invite field'],
    ])('answers 400 for %s', async (_case, body, message) => {
      const answer = await call('POST', '/v1/viewer/users', body);

      expect(answer.status).toBe(400);
      expect(answer.json.message).toContain(message);
    });
  });

  describe('revoke-access and reactivate', () => {
    it('revokes, refuses to revoke twice, reactivates, and refuses to reactivate an active user', async () => {
      expect(await call('POST', '/v1/viewer/users/revoke-access', { userId: REVOCABLE })).toEqual({
        status: 200,
        json: { success: true, message: 'User access revoked successfully' },
      });
      expect(
        (await call('POST', '/v1/viewer/users/revoke-access', { userId: REVOCABLE })).status,
      ).toBe(400);
      expect(await call('POST', '/v1/viewer/users/reactivate', { userId: REVOCABLE })).toEqual({
        status: 200,
        json: { success: true, message: 'User reactivated successfully' },
      });
      expect(
        (await call('POST', '/v1/viewer/users/reactivate', { userId: REVOCABLE })).status,
      ).toBe(400);
    });

    it.each([
      ['an unknown user', { userId: `usr_${'0'.repeat(32)}` }, 404],
      ['no userId', {}, 400],
      ['the owner', { userId: OWNER }, 400],
    ])('answers revoke-access for %s with %i', async (_case, body, status) => {
      expect((await call('POST', '/v1/viewer/users/revoke-access', body)).status).toBe(status);
    });

    it('forgets revocations on reset', async () => {
      await call('POST', '/v1/viewer/users/revoke-access', { userId: REVOCABLE });
      demo.reset();

      expect(
        (await call('POST', '/v1/viewer/users/reactivate', { userId: REVOCABLE })).status,
      ).toBe(400);
    });
  });

  describe('GET /v1/viewer/users/invitations', () => {
    it('pages with base64 {"offset":N} cursors and no cursor on the last page', async () => {
      const first = await call('GET', '/v1/viewer/users/invitations?limit=4');
      const second = await call(
        'GET',
        `/v1/viewer/users/invitations?${new URLSearchParams({ limit: '4', cursor: first.json.cursor })}`,
      );

      expect(avaraInvitationPageSchema.parse(first.json)).toBeTruthy();
      expect(first.json).toMatchObject({
        hasMore: true,
        cursor: Buffer.from('{"offset":4}').toString('base64'),
      });
      expect(second.json.hasMore).toBe(false);
      expect(second.json).not.toHaveProperty('cursor');
      expect([...invitationIds(first.json), ...invitationIds(second.json)]).toEqual(
        DEMO_INVITATIONS.map(({ invitationId }) => invitationId),
      );
    });

    it.each([
      [
        'status, comma-joined',
        'status=accepted,rejected',
        ['inv_1c3e5a7b9d0f4c2e8a4b6d8f0a2c4e6b', 'inv_9f7d5b3a1e0c4d8b9a6c4e2f0d8b6a4c'],
      ],
      [
        'startDate (created on or after)',
        'startDate=2024-03-01',
        [SEED_INVITATION_ID, 'inv_8a2b4c6d8e0f4a1b9c3d5e7f9a1b3c5d'],
      ],
      [
        'endDate (created on or before)',
        'endDate=2024-01-22',
        ['inv_2d4f6b8a0c1e4f3a9b5d7c9e1f3a5b7d'],
      ],
      ['expired', 'expired=expired&status=sent', ['inv_7b9d1f3a5c6e4b8d0f2a4c6e8b0d2f4a']],
      [
        'userId',
        'userId=usr_c48b2e6f9a0d4c1e8b7a3f5d2e9c6b10',
        ['inv_1c3e5a7b9d0f4c2e8a4b6d8f0a2c4e6b'],
      ],
    ])('filters by %s', async (_case, query, expected) => {
      const answer = await call('GET', `/v1/viewer/users/invitations?${query}`);

      expect(invitationIds(answer.json)).toEqual(expected);
    });

    it.each([
      ['an unknown status', 'status=sent,lost'],
      ['a bad date', 'startDate=March'],
      ['an unknown expiry', 'expired=soon'],
      ['a foreign cursor', 'cursor=bm9wZQ=='],
    ])('answers 400 for %s', async (_case, query) => {
      expect((await call('GET', `/v1/viewer/users/invitations?${query}`)).status).toBe(400);
    });
  });

  describe('invitation retrieve, update and revoke', () => {
    it('changes a pending invitation and refuses one that is expired', async () => {
      const changed = await call('PATCH', `/v1/viewer/users/invitations/${SEED_INVITATION_ID}`, {
        suffix1: null,
      });
      const expired = await call(
        'PATCH',
        '/v1/viewer/users/invitations/inv_7b9d1f3a5c6e4b8d0f2a4c6e8b0d2f4a',
        {
          suffix1: 'DO',
        },
      );

      expect(changed.status).toBe(200);
      expect(changed.json).not.toHaveProperty('suffix1');
      expect(expired.status).toBe(422);
    });

    it('revokes by userId, then refuses to revoke again', async () => {
      const body = { userId: 'usr_4d7e1a9b3c6f4e2a8d5b0c9e7f1a3b62' };
      const revoked = await call('POST', '/v1/viewer/users/invitations/revoke', body);
      const again = await call('POST', '/v1/viewer/users/invitations/revoke', body);
      const read = await call('GET', `/v1/viewer/users/invitations/${SEED_INVITATION_ID}`);

      expect(revoked).toEqual({
        status: 200,
        json: { success: true, message: 'Invitation revoked successfully' },
      });
      expect(again.status).toBe(422);
      expect(read.json.status).toBe('revoked');
    });

    it.each([
      ['neither id', {}, 400],
      ['an unknown invitation', { invitationId: `inv_${'0'.repeat(32)}` }, 404],
      [
        'ids of two different invitations',
        { invitationId: SEED_INVITATION_ID, userId: REVOCABLE },
        404,
      ],
    ])('answers revoke for %s with %i', async (_case, body, status) => {
      expect((await call('POST', '/v1/viewer/users/invitations/revoke', body)).status).toBe(status);
    });

    it('answers 404 for an unknown invitation id', async () => {
      expect((await call('GET', `/v1/viewer/users/invitations/inv_${'0'.repeat(32)}`)).status).toBe(
        404,
      );
    });
  });
});
