import { buildSchema, type DocumentNode, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { AppError, ErrorCode } from '../errors/app-error';
import { DEFAULT_PAGE_SIZE } from './connection';
import { checkOperation, isIntrospectionOnly, type OperationLimits } from './limits';

const schema = buildSchema(`
  type Team {
    id: ID!
    name: String
  }

  type User {
    id: ID!
    name: String
    manager: User
    teams(first: Int): [Team!]!
  }

  type Query {
    me: User
    users(first: Int): [User!]!
  }
`);

const generous: OperationLimits = { maxDepth: 50, maxCost: 1_000_000, maxAliases: 100 };

function operationOf(document: DocumentNode): OperationDefinitionNode {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error('the test document has no operation');
  return operation;
}

function check(query: string, limits: Partial<OperationLimits> = {}, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  return checkOperation(schema, document, operationOf(document), variables, { ...generous, ...limits });
}

function refusal(query: string, limits: Partial<OperationLimits>): AppError {
  try {
    check(query, limits);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the operation to be refused');
}

describe(checkOperation.name, () => {
  describe('depth', () => {
    it('refuses an operation deeper than the limit with reason MAX_DEPTH and HTTP 400', () => {
      const error = refusal('{ users { manager { manager { id } } } }', { maxDepth: 3 });

      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.extensions).toMatchObject({ reason: 'MAX_DEPTH', http: { status: 400 } });
      expect(error.message).toBe('Query depth 4 exceeds the limit of 3');
    });

    it('accepts an operation exactly at the limit', () => {
      expect(() => check('{ users { manager { manager { id } } } }', { maxDepth: 4 })).not.toThrow();
    });

    it('counts the depth added by named fragments and inline fragments', () => {
      const query = `
        { me { ...M } }
        fragment M on User { manager { ... on User { manager { id } } } }
      `;

      expect(refusal(query, { maxDepth: 3 }).extensions.reason).toBe('MAX_DEPTH');
      expect(() => check(query, { maxDepth: 4 })).not.toThrow();
    });

    it('ignores introspection fields when measuring depth', () => {
      const query = `{
        me { id }
        __schema { types { fields { type { ofType { ofType { name } } } } } }
      }`;

      expect(() => check(query, { maxDepth: 2 })).not.toThrow();
    });
  });

  describe('aliases', () => {
    it('refuses more aliases than the limit with reason MAX_ALIASES', () => {
      const error = refusal('{ a: me { id } b: me { id } c: me { id } }', { maxAliases: 2 });

      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.extensions).toMatchObject({ reason: 'MAX_ALIASES', http: { status: 400 } });
      expect(error.message).toBe('The query uses 3 aliases; the limit is 2');
    });

    it('accepts exactly the limit', () => {
      expect(() => check('{ a: me { id } b: me { id } }', { maxAliases: 2 })).not.toThrow();
    });

    it('counts aliases inside nested selections and every use of a fragment', () => {
      const query = `
        { me { ...F } users { ...F } }
        fragment F on User { x: id y: name }
      `;

      expect(refusal(query, { maxAliases: 3 }).message).toBe('The query uses 4 aliases; the limit is 3');
      expect(() => check(query, { maxAliases: 4 })).not.toThrow();
    });
  });

  describe('cost', () => {
    it('costs one per plain field, plus its children', () => {
      expect(check('{ me { id name } }')).toEqual({ requested: 3, limit: generous.maxCost });
    });

    it('multiplies the children of a field with a `first` argument by the page asked for', () => {
      expect(check('{ users(first: 10) { id name } }').requested).toBe(1 + 2 * 10);
    });

    it('multiplies nested pages', () => {
      // users: 1 + 10 * (teams: 1 + 5 * id)
      expect(check('{ users(first: 10) { teams(first: 5) { id } } }').requested).toBe(1 + 10 * (1 + 5));
    });

    it('uses the default page size when `first` is not given', () => {
      expect(check('{ users { id } }').requested).toBe(1 + DEFAULT_PAGE_SIZE);
    });

    it('reads `first` from the variables', () => {
      const cost = check('query Q($n: Int) { users(first: $n) { id } }', {}, { n: 3 });

      expect(cost.requested).toBe(1 + 3);
    });

    it('counts fields selected through fragments', () => {
      const viaFragment = check(`
        { users(first: 10) { ...U } }
        fragment U on User { id name }
      `);

      expect(viaFragment.requested).toBe(check('{ users(first: 10) { id name } }').requested);
      expect(viaFragment.requested).toBe(21);
    });

    it('refuses an operation over the budget with reason MAX_COST', () => {
      const error = refusal('{ users(first: 100) { teams(first: 100) { id } } }', { maxCost: 1000 });

      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.extensions).toMatchObject({ reason: 'MAX_COST', http: { status: 400 } });
      expect(error.message).toBe(`Query cost ${1 + 100 * (1 + 100)} exceeds the budget of 1000`);
    });

    it('accepts an operation whose cost equals the budget', () => {
      expect(check('{ users(first: 10) { id name } }', { maxCost: 21 })).toEqual({ requested: 21, limit: 21 });
    });

    it('costs only the operation it is given, not the other operations of the document', () => {
      const document = parse(`
        query Small { me { id } }
        query Big { users(first: 100) { teams(first: 100) { id } } }
      `);
      const small = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === 'Small',
      );
      if (!small) throw new Error('no Small operation');

      expect(checkOperation(schema, document, small, {}, { ...generous, maxCost: 10 }).requested).toBe(2);
    });
  });
});

describe(isIntrospectionOnly.name, () => {
  const op = (query: string) => operationOf(parse(query));

  it.each([
    ['{ __typename }'],
    ['{ __schema { queryType { name } } }'],
    ['{ __type(name: "User") { name } __typename }'],
  ])('is true for %s', (query) => {
    expect(isIntrospectionOnly(op(query))).toBe(true);
  });

  it.each([['{ me { id } }'], ['{ __typename me { id } }'], ['{ __schema { types { name } } users { id } }']])(
    'is false for %s',
    (query) => {
      expect(isIntrospectionOnly(op(query))).toBe(false);
    },
  );
});
