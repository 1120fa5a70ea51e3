import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  GraphQLID,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { accessRuleOf, type AccessRule } from '../../src/platform/graphql/access';

export interface RootField {
  operation: 'query' | 'mutation';
  name: string;
  field: GraphQLField<unknown, unknown>;
  rule: AccessRule | undefined;
}

export function rootFields(schema: GraphQLSchema): RootField[] {
  const out: RootField[] = [];
  for (const [operation, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      out.push({ operation, name: field.name, field, rule: accessRuleOf(field) });
    }
  }
  return out;
}

/** Whether an argument's type holds an ID anywhere (directly, in a list, or in an input's fields). */
export function holdsId(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (named === GraphQLID) return true;
  if (isInputObjectType(named)) {
    if (seen.has(named.name)) return false;
    seen.add(named.name);
    return Object.values(named.getFields()).some((f) => holdsId(f.type, seen));
  }
  return false;
}

export function takesIds(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((a) => holdsId(a.type));
}

let serial = 0;

/** A value of the type that passes input validation, with `id` wherever an ID goes. */
export function fill(type: GraphQLInputType, name: string, id: string): unknown {
  if (isNonNullType(type)) return fill(type.ofType, name, id);
  if (isListType(type)) return [fill(type.ofType, name, id)];
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      const required = isNonNullType(f.type) && f.defaultValue === undefined;
      if (required || holdsId(f.type)) value[f.name] = fill(f.type, f.name, id);
    }
    return value;
  }
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (type === GraphQLID) return id;
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return true;
      case 'DateTimeISO':
        return new Date().toISOString();
      default:
        if (/email/i.test(name)) return `cross-${++serial}@cross.example.com`;
        if (/password/i.test(name)) return 'a-sufficiently-long-password';
        return 'cross tenant';
    }
  }
  throw new Error(`Cannot fill ${String(type)}`);
}

/** A document calling one root field with every argument filled (IDs set to `id`). */
export function callOf(root: RootField, id: string): { query: string; variables: Record<string, unknown> } {
  const args = root.field.args.filter((a) => isNonNullType(a.type) || holdsId(a.type));
  const variables: Record<string, unknown> = {};
  for (const a of args) variables[a.name] = fill(a.type, a.name, id);
  const decl = args.map((a: GraphQLArgument) => `$${a.name}: ${String(a.type)}`).join(', ');
  const pass = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(root.field.type)) ? ' { __typename }' : '';
  const query = `${root.operation} Call${decl ? `(${decl})` : ''} { ${root.name}${pass ? `(${pass})` : ''}${selection} }`;
  return { query, variables };
}
