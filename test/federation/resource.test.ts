/**
 * The users resource through a real `@apollo/gateway`: lists and their cursors, writes, and
 * `Invitation` entities referenced by another subgraph.
 */
import { describe, expect, it } from '@jest/globals';
import { DEMO_INVITATIONS, DEMO_USERS } from '../../src/demo/seed.js';
import { expectUpstreamCalls, invitationPath } from '../support/harness.js';
import { DEMO_STUDIES } from '../support/studies-subgraph.js';
import { useRouter } from './router.js';

const CALLER_AUTHORIZATION = 'Bearer router-client-token-10';
const headers = { authorization: CALLER_AUTHORIZATION };

describe('the users resource behind @apollo/gateway', () => {
  const router = useRouter();

  it('resolves the Invitation entities another subgraph refers to, one GET per distinct invitation', async () => {
    const response = await router().graphql(
      { query: '{ studies { title invitations { invitationId email status clinicRole level } } }' },
      headers,
    );

    const byId = new Map(
      DEMO_INVITATIONS.map((invitation) => [invitation.invitationId, invitation]),
    );
    expect(response.body).toStrictEqual({
      data: {
        studies: DEMO_STUDIES.map(({ title, invitations = [] }) => ({
          title,
          invitations: invitations.map((invitationId) => ({
            invitationId,
            email: byId.get(invitationId)?.email,
            status: 'SENT',
            clinicRole: { Radiologist: 'RADIOLOGIST', Oncologist: 'ONCOLOGIST' }[
              byId.get(invitationId)?.clinicRole ?? ''
            ],
            level: byId.get(invitationId)?.level.toUpperCase(),
          })),
        })),
      },
    });
    const ids = [...new Set(DEMO_STUDIES.flatMap(({ invitations = [] }) => invitations))];
    expect(ids).toHaveLength(2);
    expectUpstreamCalls(
      router().harness.demo,
      ids.map((id) => ({ method: 'GET', path: invitationPath(id), headers })),
    );
  });

  it('pages users and invitations through the router, cursors and filters included', async () => {
    const query = `query ($after: String) {
      users(first: 2, after: $after) { nodes { userId } pageInfo { hasNextPage endCursor } }
      invitations(first: 1, filter: { status: [SENT, REVOKED] }) { nodes { invitationId status } }
    }`;
    const first = await router().graphql({ query }, headers);
    const second = await router().graphql(
      { query, variables: { after: first.body.data.users.pageInfo.endCursor } },
      headers,
    );

    expect(first.body.data.users.nodes.map(({ userId }: { userId: string }) => userId)).toEqual(
      DEMO_USERS.slice(0, 2).map(({ userId }) => userId),
    );
    expect(second.body.data.users.nodes.map(({ userId }: { userId: string }) => userId)).toEqual(
      DEMO_USERS.slice(2, 4).map(({ userId }) => userId),
    );
    expect(first.body.data.invitations.nodes).toEqual([
      { invitationId: DEMO_INVITATIONS[0]?.invitationId, status: 'SENT' },
    ]);
    expect(router().subgraphRequests.map(({ subgraph }) => subgraph)).toEqual(['users', 'users']);
    const paths = router().harness.demo.requests.map(({ path }) => path);
    expect(paths).toContain('/v1/viewer/users/invitations?limit=1&status=sent,revoked');
    expect(paths.filter((path) => path.startsWith('/v1/viewer/users?'))).toEqual([
      '/v1/viewer/users?limit=2',
      '/v1/viewer/users?limit=2',
      `/v1/viewer/users?cursor=${encodeURIComponent(Buffer.from('{"offset":2}').toString('base64'))}&limit=2`,
    ]);
  });

  it('invites a user and revokes an invitation through the router', async () => {
    const response = await router().graphql(
      {
        query: `mutation {
          inviteUser(input: { email: "f.router@hospital.org", firstName: "Fen", lastName: "Router",
            clinicRole: SCRIBE, level: MEMBER, canManageStudies: false, hasDashboardAccess: false }) {
            email level
          }
          revokeInvitation(invitationId: "${DEMO_INVITATIONS[0]?.invitationId}") { success message }
        }`,
      },
      headers,
    );

    expect(response.body).toStrictEqual({
      data: {
        inviteUser: { email: 'f.router@hospital.org', level: 'MEMBER' },
        revokeInvitation: { success: true, message: 'Invitation revoked successfully' },
      },
    });
    expect(router().harness.demo.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'POST /v1/viewer/users',
      'POST /v1/viewer/users/invitations/revoke',
    ]);
  });
});
