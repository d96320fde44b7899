import { describe, expect, it } from '@jest/globals';
import { composeServices } from '@apollo/composition';
import { Kind, parse, print, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { typeDefs as usersTypeDefs } from '../../src/schema.js';
import { composeUsersAndStudies, describeErrors } from './supergraph.js';

/**
 * The directives named `directiveName` on a type, or on one of its fields, of a supergraph SDL,
 * printed (`@join__type(graph: USERS, key: "userId")`).
 */
function directivesOf(
  sdl: string,
  at: { type: string; field?: string },
  directiveName: string,
): string[] {
  const type = parse(sdl).definitions.find(
    (definition) =>
      definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === at.type,
  );
  if (type?.kind !== Kind.OBJECT_TYPE_DEFINITION) throw new Error(`no type ${at.type}`);
  const holder =
    at.field === undefined ? type : type.fields?.find(({ name }) => name.value === at.field);
  if (holder === undefined) throw new Error(`no field ${at.type}.${at.field}`);
  return (holder.directives ?? [])
    .filter((directive: ConstDirectiveNode) => directive.name.value === directiveName)
    .map((directive) => print(directive));
}

/** A second subgraph that also claims `User` as an entity, with a clashing `email` type. */
const CLASHING_USERS: DocumentNode = parse(`#graphql
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type User @key(fields: "userId") {
    userId: ID!
    email: Int
  }

  type Query {
    usersByEmail(email: Int!): [User!]!
  }
`);

describe('the users subgraph in a supergraph', () => {
  describe('composition with a subgraph that references User', () => {
    it('composes without errors next to the studies subgraph', () => {
      const result = composeUsersAndStudies();

      // The messages, not just "errors was defined", so a broken schema fails legibly.
      expect(describeErrors(result)).toBe('');
      expect(result.errors).toBeUndefined();
    });

    it('makes the users subgraph the one that resolves User by userId', () => {
      const { supergraphSdl } = composeUsersAndStudies();
      if (supergraphSdl === undefined) throw new Error('the supergraph did not compose');

      expect(directivesOf(supergraphSdl, { type: 'User' }, 'join__type')).toStrictEqual([
        '@join__type(graph: STUDIES, key: "userId", resolvable: false)',
        '@join__type(graph: USERS, key: "userId")',
      ]);
    });

    it('routes user and updateUser to the users subgraph', () => {
      const { supergraphSdl } = composeUsersAndStudies();
      if (supergraphSdl === undefined) throw new Error('the supergraph did not compose');

      expect(
        directivesOf(supergraphSdl, { type: 'Query', field: 'user' }, 'join__field'),
      ).toStrictEqual(['@join__field(graph: USERS)']);
      // Only the users subgraph has mutations, so the whole type (updateUser included) is its.
      expect(directivesOf(supergraphSdl, { type: 'Mutation' }, 'join__type')).toStrictEqual([
        '@join__type(graph: USERS)',
      ]);
    });
  });

  describe('the users resource in the supergraph', () => {
    it('makes the users subgraph the one that resolves Invitation by invitationId', () => {
      const { supergraphSdl } = composeUsersAndStudies();
      if (supergraphSdl === undefined) throw new Error('the supergraph did not compose');

      expect(directivesOf(supergraphSdl, { type: 'Invitation' }, 'join__type')).toStrictEqual([
        '@join__type(graph: STUDIES, key: "invitationId", resolvable: false)',
        '@join__type(graph: USERS, key: "invitationId")',
      ]);
    });

    it.each(['users', 'invitation', 'invitations'])(
      'routes Query.%s to the users subgraph',
      (field) => {
        const { supergraphSdl } = composeUsersAndStudies();
        if (supergraphSdl === undefined) throw new Error('the supergraph did not compose');

        expect(directivesOf(supergraphSdl, { type: 'Query', field }, 'join__field')).toStrictEqual([
          '@join__field(graph: USERS)',
        ]);
      },
    );

    it.each(['UserConnection', 'InvitationConnection', 'PageInfo', 'RevokeUserAccessPayload'])(
      'keeps %s a value type of the users subgraph alone',
      (type) => {
        const { supergraphSdl } = composeUsersAndStudies();
        if (supergraphSdl === undefined) throw new Error('the supergraph did not compose');

        expect(directivesOf(supergraphSdl, { type }, 'join__type')).toStrictEqual([
          '@join__type(graph: USERS)',
        ]);
      },
    );
  });

  describe('composition with a subgraph that contradicts User', () => {
    it('fails, naming User.email, when another subgraph declares email with another type', () => {
      const result = composeServices([
        { name: 'users', typeDefs: usersTypeDefs, url: 'http://users.invalid/graphql' },
        { name: 'clash', typeDefs: CLASHING_USERS, url: 'http://clash.invalid/graphql' },
      ]);

      expect(result.errors).toBeDefined();
      expect(describeErrors(result)).toMatch(/FIELD_TYPE_MISMATCH: .*"User\.email"/);
    });
  });
});
