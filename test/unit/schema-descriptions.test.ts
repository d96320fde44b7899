import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Kind, parse, type TypeNode } from 'graphql';

/** Sandbox users learn the API from its descriptions: every part of the contract has one. */
const schema = parse(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

const namedType = (type: TypeNode): string =>
  type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);

interface Part {
  path: string;
  description: string | undefined;
  type?: string;
  isInput: boolean;
}

const parts: Part[] = schema.definitions.flatMap((definition): Part[] => {
  switch (definition.kind) {
    case Kind.OBJECT_TYPE_DEFINITION: {
      const name = definition.name.value;
      const own: Part[] =
        name === 'Query' || name === 'Mutation'
          ? []
          : [{ path: name, description: definition.description?.value, isInput: false }];
      return own.concat(
        (definition.fields ?? []).flatMap((field) => [
          {
            path: `${name}.${field.name.value}`,
            description: field.description?.value,
            isInput: false,
          },
          ...(field.arguments ?? []).map((argument) => ({
            path: `${name}.${field.name.value}(${argument.name.value})`,
            description: argument.description?.value,
            type: namedType(argument.type),
            isInput: true,
          })),
        ]),
      );
    }
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      return [
        { path: definition.name.value, description: definition.description?.value, isInput: false },
        ...(definition.fields ?? []).map((field) => ({
          path: `${definition.name.value}.${field.name.value}`,
          description: field.description?.value,
          type: namedType(field.type),
          isInput: true,
        })),
      ];
    case Kind.ENUM_TYPE_DEFINITION:
      return [
        { path: definition.name.value, description: definition.description?.value, isInput: false },
        ...(definition.values ?? []).map((value) => ({
          path: `${definition.name.value}.${value.name.value}`,
          description: value.description?.value,
          isInput: false,
        })),
      ];
    case Kind.SCALAR_TYPE_DEFINITION:
      return [
        { path: definition.name.value, description: definition.description?.value, isInput: false },
      ];
    default:
      return [];
  }
});

describe('schema.graphql', () => {
  it.each(parts.map(({ path, description }) => [path, description]))(
    'describes %s',
    (_path, description) => {
      expect(description?.trim()).toBeTruthy();
    },
  );

  it.each(
    parts
      .filter(({ isInput, type }) => isInput && ['String', 'ID', 'Date'].includes(type ?? ''))
      .map(({ path, description }) => [path, description]),
  )('states the maximum length of the input string %s', (_path, description) => {
    expect(description).toMatch(/at most \d+ characters/);
  });
});
