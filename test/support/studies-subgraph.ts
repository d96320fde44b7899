/**
 * A test-only second subgraph that owns `Study` and refers to our `User` by key only, so that a
 * real gateway has to ask the users subgraph for every assignee and reviewer. Its studies share
 * assignees and overlap in reviewers, so the users subgraph's de-duplication is observable.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { DEMO_INVITATIONS, DEMO_USERS } from '../../src/demo/seed.js';

export const STUDIES_TYPE_DEFS = parse(`#graphql
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Study @key(fields: "id") {
    id: ID!
    title: String!
    modality: String!
    assignedTo: User
    reviewers: [User!]!
    "Invitations sent to people who are to read the study once they join."
    invitations: [Invitation!]!
  }

  type User @key(fields: "userId", resolvable: false) {
    userId: ID!
  }

  type Invitation @key(fields: "invitationId", resolvable: false) {
    invitationId: ID!
  }

  type Query {
    studies: [Study!]!
  }
`);

export interface StudyRecord {
  id: string;
  title: string;
  modality: string;
  assignedTo: string | null;
  reviewers: readonly string[];
  /** Invitation ids. @default [] */
  invitations?: readonly string[];
}

function demoUserId(firstName: string): string {
  const user = DEMO_USERS.find((candidate) => candidate.firstName === firstName);
  if (user === undefined) throw new Error(`the demo seed has no user named ${firstName}`);
  return user.userId;
}

const sarah = demoUserId('Sarah');
const daniel = demoUserId('Daniel');
const priya = demoUserId('Priya');
const miguel = demoUserId('Miguel');
const thomas = demoUserId('Thomas');
const aisha = demoUserId('Aisha');
const [elenasInvitation, jamesInvitation] = DEMO_INVITATIONS.map(
  ({ invitationId }) => invitationId,
);

/**
 * Six studies over the six demo users. Sarah and Miguel are each assigned twice and Priya
 * reviews four studies, so repeats are many; reviewers cover every level. Assignees and
 * reviewers are kept apart on purpose: a router fetches `assignedTo` and `reviewers` in two
 * separate `_entities` requests, and the users subgraph de-duplicates within a request only.
 * Miguel is only ever an assignee (a nullable field), so his lookup can fail on its own.
 */
export const DEMO_STUDIES: readonly StudyRecord[] = [
  {
    id: 'st_1',
    title: 'Chest CT',
    modality: 'CT',
    assignedTo: sarah,
    reviewers: [daniel, priya],
    invitations: [elenasInvitation ?? '', jamesInvitation ?? ''],
  },
  {
    id: 'st_2',
    title: 'Brain MRI',
    modality: 'MR',
    assignedTo: sarah,
    reviewers: [priya],
    invitations: [elenasInvitation ?? ''],
  },
  { id: 'st_3', title: 'Knee X-ray', modality: 'CR', assignedTo: miguel, reviewers: [aisha] },
  { id: 'st_4', title: 'Abdominal ultrasound', modality: 'US', assignedTo: thomas, reviewers: [] },
  {
    id: 'st_5',
    title: 'Cardiac MRI',
    modality: 'MR',
    assignedTo: null,
    reviewers: [priya, daniel],
  },
  {
    id: 'st_6',
    title: 'Lumbar spine CT',
    modality: 'CT',
    assignedTo: miguel,
    reviewers: [aisha, priya],
  },
];

/** A reference to a `User` this subgraph cannot resolve: only the key, for the users subgraph. */
const userStub = (userId: string) => ({ __typename: 'User' as const, userId });
const invitationStub = (invitationId: string) => ({
  __typename: 'Invitation' as const,
  invitationId,
});

export interface StudiesSubgraph {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  close(): Promise<void>;
}

export interface StudiesSubgraphOptions {
  /** @default DEMO_STUDIES */
  studies?: readonly StudyRecord[];
}

export async function startStudiesSubgraph(
  options: StudiesSubgraphOptions = {},
): Promise<StudiesSubgraph> {
  const { studies = DEMO_STUDIES } = options;
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: STUDIES_TYPE_DEFS,
      resolvers: {
        Query: {
          studies: () => studies,
        },
        Study: {
          __resolveReference: ({ id }: { id: string }) =>
            studies.find((study) => study.id === id) ?? null,
          assignedTo: ({ assignedTo }: StudyRecord) =>
            assignedTo === null ? null : userStub(assignedTo),
          reviewers: ({ reviewers }: StudyRecord) => reviewers.map(userStub),
          invitations: ({ invitations = [] }: StudyRecord) => invitations.map(invitationStub),
        },
      },
    }),
    // No federated traces: the router under test does not ask for them.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, close: () => server.stop() };
}
