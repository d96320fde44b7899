/**
 * What the federation tests expect, worked out from the studies and the demo seed rather than
 * from the code under test.
 */
import type { AvaraUser, AvaraUserLevel } from '../../src/avara/types.js';
import type { DemoAvara } from '../../src/demo/server.js';
import { DEMO_USERS } from '../../src/demo/seed.js';
import { userPath } from '../support/harness.js';
import type { StudyRecord } from '../support/studies-subgraph.js';

export const STUDIES_WITH_PEOPLE = `{
  studies {
    title
    assignedTo { firstName lastName clinicRole }
    reviewers { firstName level }
  }
}`;

// The GraphQL names the answers must carry, written out rather than taken from src/graphql.
const CLINIC_ROLE_BY_WIRE: Readonly<Record<string, string>> = {
  Radiologist: 'RADIOLOGIST',
  'Registered Nurse': 'REGISTERED_NURSE',
  'PACS Administrator': 'PACS_ADMINISTRATOR',
};
const LEVEL_BY_WIRE: Readonly<Record<AvaraUserLevel, string>> = {
  owner: 'OWNER',
  admin: 'ADMIN',
  member: 'MEMBER',
};

export function demoUser(userId: string): AvaraUser {
  const user = DEMO_USERS.find((candidate) => candidate.userId === userId);
  if (user === undefined) throw new Error(`no demo user ${userId}`);
  return user;
}

export function demoUserNamed(firstName: string): AvaraUser {
  const user = DEMO_USERS.find((candidate) => candidate.firstName === firstName);
  if (user === undefined) throw new Error(`no demo user named ${firstName}`);
  return user;
}

function clinicRoleOf({ clinicRole }: AvaraUser): string {
  const role = CLINIC_ROLE_BY_WIRE[clinicRole ?? ''];
  if (role === undefined) throw new Error(`add ${clinicRole} to CLINIC_ROLE_BY_WIRE`);
  return role;
}

/**
 * The answer to STUDIES_WITH_PEOPLE, from the studies and the demo seed; an assignee in
 * `unresolved` is `null`.
 */
export function expectedStudies(
  studies: readonly StudyRecord[],
  unresolved: readonly string[] = [],
) {
  return studies.map(({ title, assignedTo, reviewers }) => ({
    title,
    assignedTo:
      assignedTo === null || unresolved.includes(assignedTo)
        ? null
        : {
            firstName: demoUser(assignedTo).firstName,
            lastName: demoUser(assignedTo).lastName,
            clinicRole: clinicRoleOf(demoUser(assignedTo)),
          },
    reviewers: reviewers.map((userId) => ({
      firstName: demoUser(userId).firstName,
      level: LEVEL_BY_WIRE[demoUser(userId).level],
    })),
  }));
}

/** Every user id the studies refer to, once each. */
export function referencedUserIds(studies: readonly StudyRecord[]): string[] {
  const ids = studies.flatMap(({ assignedTo, reviewers }) =>
    assignedTo === null ? reviewers : [assignedTo, ...reviewers],
  );
  return [...new Set(ids)];
}

/** How many times Avara was sent each method and path, e.g. `{ 'GET /v1/…': 1 }`. */
export function upstreamCallCounts(demo: DemoAvara): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { method, path } of demo.requests) {
    const call = `${method} ${path}`;
    counts[call] = (counts[call] ?? 0) + 1;
  }
  return counts;
}

/** The `upstreamCallCounts` of exactly one GET per user. */
export const oneGetEach = (userIds: readonly string[]) =>
  Object.fromEntries(userIds.map((userId) => [`GET ${userPath(userId)}`, 1]));
