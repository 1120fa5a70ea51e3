import { buildSchema, type GraphQLArgument } from 'graphql';
import { AppError, ErrorCode } from '../errors/app-error';
import { assertIdArguments } from './id-args';

const schema = buildSchema(`
  input Owner {
    ownerId: ID!
  }

  input Filter {
    teamId: ID
    name: String
    tagIds: [ID!]
    owner: Owner
  }

  type Query {
    thing(id: ID, ids: [ID!], filter: Filter, filters: [Filter!], name: String, count: Int): String
  }
`);

const args: readonly GraphQLArgument[] = schema.getQueryType()?.getFields().thing?.args ?? [];

const A = '0190a5b2-6c1e-7c3a-9d4e-1f2a3b4c5d6e';
const B = '3F2504E0-4F89-41D3-9A0C-0305E82C3301';

function refusal(values: Record<string, unknown>): AppError {
  try {
    assertIdArguments(args, values);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the arguments to be refused');
}

describe(assertIdArguments.name, () => {
  it('has the arguments of the test field', () => {
    expect(args.map((a) => a.name)).toEqual(['id', 'ids', 'filter', 'filters', 'name', 'count']);
  });

  it('accepts valid UUIDs everywhere, in either case', () => {
    expect(() =>
      assertIdArguments(args, {
        id: A,
        ids: [A, B],
        filter: { teamId: B, tagIds: [A], owner: { ownerId: A } },
        filters: [{ teamId: A }, { owner: { ownerId: B } }],
      }),
    ).not.toThrow();
  });

  it('accepts null and missing ids at any level', () => {
    expect(() => assertIdArguments(args, {})).not.toThrow();
    expect(() => assertIdArguments(args, { id: null, ids: null, filter: null, filters: null })).not.toThrow();
    expect(() => assertIdArguments(args, { id: undefined, filter: { teamId: null, owner: null } })).not.toThrow();
  });

  it('does not check arguments that are not ids', () => {
    expect(() => assertIdArguments(args, { name: 'not-a-uuid', count: 3, filter: { name: 'x' } })).not.toThrow();
  });

  it('refuses a malformed top-level id with BAD_USER_INPUT naming the argument', () => {
    const error = refusal({ id: '42' });

    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.extensions).toMatchObject({ field: 'id', reason: 'INVALID_ID' });
    expect(error.message).toBe('id is not a valid id');
  });

  it.each([
    ['an empty string', ''],
    ['a UUID with a suffix', `${A}x`],
    ['a UUID without dashes', A.replaceAll('-', '')],
    ['a SQL fragment', "' OR 1=1 --"],
  ])('refuses %s', (_label, value) => {
    expect(refusal({ id: value }).extensions.field).toBe('id');
  });

  it('names the index of a malformed id in a list', () => {
    expect(refusal({ ids: [A, 'nope', B] }).extensions.field).toBe('ids[1]');
  });

  it('names the path of a malformed id in an input object', () => {
    expect(refusal({ filter: { teamId: 'team-1' } }).extensions.field).toBe('filter.teamId');
  });

  it('names the path of a malformed id in a list inside an input object', () => {
    expect(refusal({ filter: { teamId: A, tagIds: [A, B, 'tag'] } }).extensions.field).toBe('filter.tagIds[2]');
  });

  it('names the full path through a list of nested input objects', () => {
    const error = refusal({ filters: [{ owner: { ownerId: A } }, { owner: { ownerId: 'me' } }] });

    expect(error.extensions.field).toBe('filters[1].owner.ownerId');
    expect(error.message).toBe('filters[1].owner.ownerId is not a valid id');
  });
});
