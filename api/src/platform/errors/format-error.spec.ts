import { ApolloServer } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { IsEmail, MinLength, ValidateNested, validateSync } from 'class-validator';
import { GraphQLError, type GraphQLFormattedError, locatedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { AppError, badInput, ErrorCode, notFound } from './app-error';
import { createErrorFormatter } from './format-error';

const STACK = ['Error: boom', '    at resolver (/srv/app/secret-path.ts:10:5)'];

/** What Apollo hands formatError for an error thrown in a resolver: a located wrapper, with a stack trace. */
function thrownInResolver(original: unknown): { formatted: GraphQLFormattedError; error: GraphQLError } {
  const error = locatedError(original, undefined, ['viewer', 'name']);
  const json = error.toJSON();
  return {
    error,
    formatted: {
      ...json,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...json.extensions, stacktrace: STACK },
    },
  };
}

function formatter(exposeDetails = false) {
  const onInternalError = jest.fn<void, [unknown]>();
  return { format: createErrorFormatter({ exposeDetails, onInternalError }), onInternalError };
}

class Owner {
  @IsEmail()
  email = 'not-an-email';
}

class RenameInput {
  @MinLength(3)
  name = 'x';

  @ValidateNested()
  owner = new Owner();
}

describe(createErrorFormatter.name, () => {
  describe('an AppError', () => {
    it('keeps its code, message, reason and field, and loses the stack trace', () => {
      const { format, onInternalError } = formatter();
      const { formatted, error } = thrownInResolver(badInput('email', 'That email is taken', 'EMAIL_TAKEN'));

      const result = format(formatted, error);

      expect(result).toEqual({
        message: 'That email is taken',
        path: ['viewer', 'name'],
        extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'EMAIL_TAKEN', field: 'email' },
      });
      expect(JSON.stringify(result)).not.toContain('secret-path');
      expect(onInternalError).not.toHaveBeenCalled();
    });

    it('drops a legacy `exception` extension too', () => {
      const { format } = formatter();
      const error = notFound('Team');
      const formatted = {
        message: error.message,
        extensions: { code: ErrorCode.NOT_FOUND, exception: { stacktrace: STACK } },
      };

      expect(format(formatted, error)).toEqual({ message: 'Team not found', extensions: { code: 'NOT_FOUND' } });
    });

    it('is masked when its code is INTERNAL_SERVER_ERROR', () => {
      const { format, onInternalError } = formatter();
      const original = new AppError(ErrorCode.INTERNAL_SERVER_ERROR, 'pool exhausted on db-3');
      const { formatted, error } = thrownInResolver(original);

      expect(format(formatted, error).message).toBe('Internal server error');
      expect(onInternalError).toHaveBeenCalledWith(original);
    });
  });

  describe('an unknown error', () => {
    it('becomes INTERNAL_SERVER_ERROR with a generic message, and is reported', () => {
      const { format, onInternalError } = formatter(false);
      const original = new Error('relation "users" does not exist');
      const { formatted, error } = thrownInResolver(original);

      const result = format(formatted, error);

      expect(result).toEqual({
        message: 'Internal server error',
        path: ['viewer', 'name'],
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      });
      expect(onInternalError).toHaveBeenCalledTimes(1);
      expect(onInternalError).toHaveBeenCalledWith(original);
    });

    it('shows its message, still without a stack trace, when details are exposed', () => {
      const { format, onInternalError } = formatter(true);
      const { formatted, error } = thrownInResolver(new Error('relation "users" does not exist'));

      const result = format(formatted, error);

      expect(result.message).toBe('relation "users" does not exist');
      expect(result.extensions).toEqual({ code: ErrorCode.INTERNAL_SERVER_ERROR });
      expect(onInternalError).toHaveBeenCalledTimes(1);
    });

    it('masks a GraphQLError carrying a code outside the fixed set', () => {
      const { format, onInternalError } = formatter();
      const error = new GraphQLError('downstream said no', { extensions: { code: 'UPSTREAM_TIMEOUT' } });

      const result = format({ message: error.message, extensions: { code: 'UPSTREAM_TIMEOUT' } }, error);

      expect(result).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(onInternalError).toHaveBeenCalledWith(error);
    });
  });

  describe("Apollo's request errors", () => {
    it.each([
      [ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED],
      [ApolloServerErrorCode.GRAPHQL_PARSE_FAILED],
      [ApolloServerErrorCode.BAD_REQUEST],
      [ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE],
    ])('map %s to BAD_USER_INPUT with the original code as reason', (code) => {
      const { format, onInternalError } = formatter();
      const message = 'Cannot query field "nope" on type "Query".';
      const error = new GraphQLError(message, { extensions: { code } });

      const result = format(
        { message, locations: [{ line: 1, column: 3 }], extensions: { code, stacktrace: STACK } },
        error,
      );

      expect(result).toEqual({
        message,
        locations: [{ line: 1, column: 3 }],
        extensions: { code: ErrorCode.BAD_USER_INPUT, reason: code },
      });
      expect(onInternalError).not.toHaveBeenCalled();
    });

    it('maps a variable that does not match its type to BAD_USER_INPUT', () => {
      const { format, onInternalError } = formatter();
      const message = 'Variable "$first" got invalid value "ten"; Int cannot represent non-integer value: "ten"';

      const result = format({ message }, new GraphQLError(message));

      expect(result).toEqual({ message, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'INVALID_VARIABLES' } });
      expect(onInternalError).not.toHaveBeenCalled();
    });
  });

  describe('a type-graphql ArgumentValidationError', () => {
    it('becomes BAD_USER_INPUT naming the first invalid field, with every field listed', () => {
      const { format, onInternalError } = formatter();
      const validationErrors = validateSync(new RenameInput());
      const { formatted, error } = thrownInResolver(new ArgumentValidationError(validationErrors));

      const result = format(formatted, error);

      expect(result.message).toMatch(/^Invalid name: name must be longer than or equal to 3 characters$/);
      expect(result.path).toEqual(['viewer', 'name']);
      expect(result.extensions).toEqual({
        code: ErrorCode.BAD_USER_INPUT,
        field: 'name',
        fields: [
          { field: 'name', messages: ['name must be longer than or equal to 3 characters'] },
          { field: 'owner.email', messages: ['email must be an email'] },
        ],
      });
      expect(onInternalError).not.toHaveBeenCalled();
    });

    it('names a nested field by its path', () => {
      const { format } = formatter();
      const input = new RenameInput();
      input.name = 'long enough';
      const { formatted, error } = thrownInResolver(new ArgumentValidationError(validateSync(input)));

      const result = format(formatted, error);

      expect(result.message).toBe('Invalid owner.email: email must be an email');
      expect(result.extensions?.field).toBe('owner.email');
    });

    it('still answers BAD_USER_INPUT when no field is named', () => {
      const { format } = formatter();
      const { formatted, error } = thrownInResolver(new ArgumentValidationError([]));

      expect(format(formatted, error)).toMatchObject({
        message: 'Invalid input',
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      });
    });
  });

  describe('inside Apollo Server', () => {
    const onInternalError = jest.fn<void, [unknown]>();
    const server = new ApolloServer({
      typeDefs: 'type Query { missing: String broken: String }',
      resolvers: {
        Query: {
          missing: () => {
            throw notFound('Conversation');
          },
          broken: () => {
            throw new Error('connection refused 10.0.0.7:5432');
          },
        },
      },
      includeStacktraceInErrorResponses: true,
      formatError: createErrorFormatter({ exposeDetails: false, onInternalError }),
    });

    beforeAll(async () => {
      await server.start();
    });

    afterAll(async () => {
      await server.stop();
    });

    beforeEach(() => {
      onInternalError.mockClear();
    });

    async function errorsOf(query: string): Promise<readonly GraphQLFormattedError[]> {
      const response = await server.executeOperation({ query });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult.errors ?? [];
    }

    it('sends an AppError to the client with its code and no stack trace', async () => {
      const errors = await errorsOf('{ missing }');

      expect(errors).toEqual([
        {
          message: 'Conversation not found',
          locations: [{ line: 1, column: 3 }],
          path: ['missing'],
          extensions: { code: 'NOT_FOUND' },
        },
      ]);
    });

    it('hides an unexpected error from the client and reports it', async () => {
      const errors = await errorsOf('{ broken }');

      expect(errors).toEqual([
        {
          message: 'Internal server error',
          locations: [{ line: 1, column: 3 }],
          path: ['broken'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(onInternalError).toHaveBeenCalledWith(
        expect.objectContaining({ message: 'connection refused 10.0.0.7:5432' }),
      );
    });

    it('answers a query for an unknown field with BAD_USER_INPUT', async () => {
      const [error] = await errorsOf('{ nope }');

      expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
      expect(onInternalError).not.toHaveBeenCalled();
    });
  });
});
