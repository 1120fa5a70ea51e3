import type { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { ErrorCode } from './app-error';

const known = new Set<string>(Object.values(ErrorCode));

// Apollo's own codes for requests that never reached a resolver, mapped onto our fixed set.
const apolloCodes: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: ErrorCode.BAD_USER_INPUT,
  GRAPHQL_VALIDATION_FAILED: ErrorCode.BAD_USER_INPUT,
  BAD_REQUEST: ErrorCode.BAD_USER_INPUT,
  PERSISTED_QUERY_NOT_FOUND: ErrorCode.BAD_USER_INPUT,
  PERSISTED_QUERY_NOT_SUPPORTED: ErrorCode.BAD_USER_INPUT,
  OPERATION_RESOLUTION_FAILURE: ErrorCode.BAD_USER_INPUT,
};

export interface FormatErrorOptions {
  exposeDetails: boolean;
  onInternalError: (error: unknown) => void;
}

/** The one place where any error becomes what a client sees. */
export function createErrorFormatter(options: FormatErrorOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrap(error);
    if (original instanceof ArgumentValidationError) {
      const fields = flatten(original.extensions.validationErrors as ValidationError[]);
      const first = fields[0];
      return {
        message: first ? `Invalid ${first.field}: ${first.messages.join('; ')}` : 'Invalid input',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT, field: first?.field, fields },
      };
    }
    const code = String(formatted.extensions?.code ?? '');
    if (known.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      return { ...formatted, extensions: withoutStack(formatted.extensions) };
    }
    const mapped = apolloCodes[code];
    if (mapped) {
      return {
        ...formatted,
        extensions: { ...withoutStack(formatted.extensions), code: mapped, reason: code },
      };
    }
    // A variable that does not match its type is coerced by graphql-js before any resolver runs.
    if (!code && isInputCoercionError(formatted.message)) {
      return { ...formatted, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'INVALID_VARIABLES' } };
    }
    options.onInternalError(original ?? error);
    return {
      message: options.exposeDetails && original instanceof Error ? original.message : 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

function unwrap(error: unknown): unknown {
  if (error && typeof error === 'object' && 'originalError' in error && error.originalError) {
    return unwrap(error.originalError);
  }
  return error;
}

function withoutStack(ext: GraphQLFormattedError['extensions']): Record<string, unknown> {
  const { stacktrace: _stack, exception: _exception, ...rest } = ext ?? {};
  return rest;
}

function isInputCoercionError(message: string): boolean {
  return /^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/.test(message);
}

interface FieldProblem {
  field: string;
  messages: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}
