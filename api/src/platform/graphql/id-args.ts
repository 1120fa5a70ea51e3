import {
  type GraphQLArgument,
  type GraphQLInputType,
  GraphQLID,
  isInputObjectType,
  isListType,
  isNonNullType,
} from 'graphql';
import { badInput } from '../errors/app-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every `ID` in the API is a UUID. Checking the shape of ID arguments (at any depth of an input)
 * once, before any resolver, turns a malformed id into BAD_USER_INPUT naming the field, instead
 * of a database error.
 */
export function assertIdArguments(defs: readonly GraphQLArgument[], args: Record<string, unknown>): void {
  for (const def of defs) check(def.type, args[def.name], def.name);
}

function check(type: GraphQLInputType, value: unknown, path: string): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return check(type.ofType, value, path);
  if (isListType(type)) {
    if (Array.isArray(value)) value.forEach((v, i) => check(type.ofType, v, `${path}[${i}]`));
    return;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    for (const [name, field] of Object.entries(fields)) {
      check(field.type, (value as Record<string, unknown>)[name], `${path}.${name}`);
    }
    return;
  }
  if (type === GraphQLID && (typeof value !== 'string' || !UUID.test(value))) {
    throw badInput(path, `${path} is not a valid id`, 'INVALID_ID');
  }
}
