import { describe, expect, it } from '@jest/globals';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { countUserLookups } from '../../src/graphql/lookup-budget.js';

function count(source: string, variables: Record<string, unknown> = {}): number {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new Error('no operation in the test document');
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return countUserLookups(operation, fragments, variables);
}

const aliases = (n: number) =>
  Array.from({ length: n }, (_, i) => `u${i}: user(userId: "x") { userId }`).join('\n');

describe('countUserLookups', () => {
  it.each([
    ['one user field', '{ user(userId: "a") { userId } }', 1],
    ['aliased user fields', `{ ${aliases(7)} }`, 7],
    [
      'user fields inside a fragment spread twice',
      '{ ...F ...F } fragment F on Query { a: user(userId: "a") { userId } }',
      2,
    ],
    [
      'user fields inside inline fragments',
      '{ ... on Query { user(userId: "a") { userId } b: user(userId: "b") { userId } } }',
      2,
    ],
    [
      'an inline list of representations',
      '{ _entities(representations: [{a: 1}, {a: 2}, {a: 3}]) { __typename } }',
      3,
    ],
    [
      'a single non-list representation',
      '{ _entities(representations: {a: 1}) { __typename } }',
      1,
    ],
    [
      'one users field (one each, whatever its first)',
      '{ users(first: 100) { nodes { userId } } }',
      1,
    ],
    [
      'aliased users, invitation and invitations fields, one each',
      `{ a: users { nodes { userId } } b: users { nodes { userId } }
         c: invitation(invitationId: "x") { invitationId }
         d: invitations { nodes { invitationId } } e: invitations { nodes { invitationId } } }`,
      5,
    ],
    [
      'list fields together with user fields and representations',
      '{ users { nodes { userId } } user(userId: "a") { userId } _entities(representations: [{a: 1}]) { __typename } }',
      3,
    ],
    ['fields that look up nobody', '{ _service { sdl } __typename }', 0],
    [
      'aliased users, invitation and invitations fields, one each',
      '{ a: users { totalCount } b: users { totalCount } c: invitation(invitationId: "i") { status } d: invitations { totalCount } }',
      4,
    ],
    [
      'a fragment spread at many places, counted at each',
      '{ ...F ... on Query { ...F } ...G } fragment G on Query { ...F ...F } fragment F on Query { user(userId: "a") { userId } }',
      4,
    ],
    ['a null list of representations', '{ _entities(representations: null) { __typename } }', 0],
    ['a mutation', 'mutation { updateUser(userId: "a", input: {}) { userId } }', 0],
  ])('counts %s', (_case, source, expected) => {
    expect(count(source)).toBe(expected);
  });

  it('counts representations passed as a variable, together with user fields', () => {
    const source =
      'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } user(userId: "a") { userId } }';

    expect(count(source, { r: new Array(42).fill({}) })).toBe(43);
  });

  it('counts a single representation given where a list is expected as one', () => {
    const source = 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }';

    expect(count(source, { r: {} })).toBe(1);
  });

  it('does not loop on a fragment cycle (refused by validation anyway)', () => {
    expect(
      count(
        '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A user(userId: "a") { userId } }',
      ),
    ).toBe(1);
  });
});
