/**
 * The contract's document-cost guarantee: every pass the gateway makes over a document (graphql-js's
 * specified rules, our GraphQL Armor limits, the user-lookup budget) does work linear in the
 * document's size. The work is counted (reads of AST nodes, see work-meter.ts), never timed, over
 * adversarial documents: fragment bombs of any depth and fan-out, wide and deep selections, many
 * operations in one document, long alias and directive lists.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  Kind,
  OverlappingFieldsCanBeMergedRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { loadConfig } from '../../src/config.js';
import { createLimitRules } from '../../src/graphql/limits.js';
import { countUserLookups } from '../../src/graphql/lookup-budget.js';
import { createSchema } from '../../src/schema.js';
import { WorkLimitExceeded, countNodes, meterDocument } from '../support/work-meter.js';

const schema = createSchema();

/**
 * Reads per node any linear pass stays under; measured passes read 12–25 per node. The one
 * exception is graphql-js's OverlappingFieldsCanBeMerged, which the spec's algorithm makes
 * quadratic (fields sharing a response name, fragment chains compared pairwise): it gets a
 * quadratic bound, and MAX_TOKENS bounds its input.
 */
const READS_PER_NODE = 40;

/** The rules Apollo Server runs on every document here, by name. */
const RULES: readonly (readonly [string, ValidationRule])[] = [
  ...specifiedRules.map((rule) => [rule.name, rule] as const),
  ...createLimitRules(loadConfig({})).map(
    (rule, index) => [`armor limit #${index}`, rule] as const,
  ),
];

const USER = 'user(userId: "usr_0123456789abcdef0123456789abcdef") { userId }';

/** `query { ...F<depth> }`, each fragment spreading the one below `fanOut` times. */
const fragmentBomb = (depth: number, fanOut: number, leaf: string) =>
  [
    `query { ...F${depth} }`,
    `fragment F0 on Query { ${leaf} }`,
    ...Array.from(
      { length: depth },
      (_, i) => `fragment F${i + 1} on Query { ${`...F${i} `.repeat(fanOut)}}`,
    ),
  ].join('\n');

const documents = fc.oneof(
  fc
    .record({
      depth: fc.integer({ min: 1, max: 30 }),
      fanOut: fc.integer({ min: 2, max: 4 }),
      leaf: fc.constantFrom('__typename', USER, `__typename ${USER}`),
    })
    .map(({ depth, fanOut, leaf }) => fragmentBomb(depth, fanOut, leaf)),
  // Wide: many distinct aliases at the root.
  fc
    .integer({ min: 1, max: 250 })
    .map((width) => `{ ${Array.from({ length: width }, (_, i) => `a${i}: ${USER}`).join(' ')} }`),
  // Deep: nested inline fragments, and a long chain of fragments.
  fc
    .integer({ min: 1, max: 200 })
    .map((depth) => `{ ${'... on Query { '.repeat(depth)}${USER}${' }'.repeat(depth)} }`),
  fc
    .integer({ min: 1, max: 150 })
    .map((length) =>
      [
        `{ ...C${length} }`,
        `fragment C0 on Query { ${USER} }`,
        ...Array.from(
          { length },
          (_, i) => `fragment C${i + 1} on Query { ...C${i} a${i}: __typename }`,
        ),
      ].join('\n'),
    ),
  // Many operations sharing one bomb.
  fc
    .record({ operations: fc.integer({ min: 2, max: 30 }), depth: fc.integer({ min: 1, max: 25 }) })
    .map(({ operations, depth }) =>
      [
        ...Array.from({ length: operations }, (_, i) => `query Q${i} { ...F${depth} }`),
        ...fragmentBomb(depth, 2, USER).split('\n').slice(1),
      ].join('\n'),
    ),
  // Long directive lists on spreads of a bomb.
  fc
    .record({
      directives: fc.integer({ min: 1, max: 60 }),
      depth: fc.integer({ min: 1, max: 25 }),
    })
    .map(({ directives, depth }) =>
      fragmentBomb(depth, 2, USER).replace(
        `query { ...F${depth} }`,
        `query { ...F${depth} ${'@include(if: true) '.repeat(directives)}}`,
      ),
    ),
);

function partsOf(document: DocumentNode) {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return { operations, fragments };
}

describe('document cost', () => {
  it('every validation rule reads each node of an adversarial document a bounded number of times', () => {
    fc.assert(
      fc.property(documents, (source) => {
        const document = parse(source, { noLocation: true });
        const nodes = countNodes(document);
        const overBudget: string[] = [];
        for (const [name, rule] of RULES) {
          const budget =
            rule === OverlappingFieldsCanBeMergedRule
              ? READS_PER_NODE * nodes + nodes * nodes
              : READS_PER_NODE * nodes;
          const metered = meterDocument(document, budget);
          try {
            validate(schema, metered.document, [rule]);
          } catch (error) {
            if (!(error instanceof WorkLimitExceeded)) throw error;
          }
          if (metered.reads > budget) overBudget.push(`${name}: ${metered.reads} > ${budget}`);
        }
        expect(overBudget).toStrictEqual([]);
      }),
      { numRuns: 12 },
    );
  });

  it('the user-lookup budget reads each node a bounded number of times, and counts every lookup', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 2, max: 4 }),
        (depth, fanOut) => {
          const document = parse(fragmentBomb(depth, fanOut, USER), { noLocation: true });
          const budget = READS_PER_NODE * countNodes(document);
          const metered = meterDocument(document, budget);
          const { operations, fragments } = partsOf(metered.document);
          const lookups = countUserLookups(operations[0], fragments);
          expect(metered.reads).toBeLessThanOrEqual(budget);
          // What execution would run were the fragments expanded: fanOut^depth lookups.
          expect(lookups).toBe(fanOut ** depth);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the user-lookup budget stays linear on every other adversarial shape', () => {
    fc.assert(
      fc.property(documents, (source) => {
        const document = parse(source, { noLocation: true });
        const budget = READS_PER_NODE * countNodes(document);
        const metered = meterDocument(document, budget);
        const { operations, fragments } = partsOf(metered.document);
        for (const operation of operations) countUserLookups(operation, fragments);
        expect(metered.reads).toBeLessThanOrEqual(budget);
      }),
      { numRuns: 60 },
    );
  });

  it('counts the 25-level bomb of the issue in a few thousand reads, not 2^25 expansions', () => {
    const document = parse(fragmentBomb(25, 2, '__typename'), { noLocation: true });
    const metered = meterDocument(document);
    validate(
      schema,
      metered.document,
      RULES.map(([, rule]) => rule),
    );
    const { operations, fragments } = partsOf(metered.document);
    countUserLookups(operations[0], fragments);
    expect(countNodes(document)).toBeLessThan(300);
    expect(metered.reads).toBeLessThan(RULES.length * READS_PER_NODE * 300);
  });

  /**
   * The one known exception, graphql-js's own: the spec's field-merging check compares the
   * fields sharing a response name pairwise. Its cost is bounded by MAX_TOKENS (5000 tokens hold
   * at most ~2500 such fields), not linear; this pins the bound so a worse regression shows.
   */
  it('OverlappingFieldsCanBeMerged is at most quadratic in fields sharing a response name', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 150 }), (width) => {
        const document = parse(`{ ${`u: ${USER} `.repeat(width)}}`, { noLocation: true });
        const nodes = countNodes(document);
        const metered = meterDocument(document);
        validate(schema, metered.document, [OverlappingFieldsCanBeMergedRule]);
        expect(metered.reads).toBeLessThanOrEqual(READS_PER_NODE * nodes + 10 * width * width);
      }),
      { numRuns: 10 },
    );
  });
});
