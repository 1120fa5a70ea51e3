import { GraphQLError } from 'graphql';

/** The fixed set of error codes a client can rely on (`extensions.code`). */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CONFLICT = 'CONFLICT',
  RATE_LIMITED = 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

const httpStatus: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

export interface AppErrorOptions {
  /** A stable, more specific reason within the code, e.g. `SEAT_LIMIT`. */
  reason?: string;
  /** The input field at fault, for BAD_USER_INPUT. */
  field?: string;
  details?: Record<string, unknown>;
}

export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, {
      extensions: {
        code,
        ...(options.reason ? { reason: options.reason } : {}),
        ...(options.field ? { field: options.field } : {}),
        ...(options.details ?? {}),
      },
    });
    this.name = 'AppError';
  }

  get status(): number {
    return httpStatus[this.code];
  }
}

export const notFound = (what = 'Resource'): AppError => new AppError(ErrorCode.NOT_FOUND, `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this'): AppError =>
  new AppError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'Sign in to continue'): AppError =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);
export const badInput = (field: string, message: string, reason?: string): AppError =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, { field, reason });
export const conflict = (message: string, reason?: string): AppError =>
  new AppError(ErrorCode.CONFLICT, message, { reason });

/**
 * A domain's error catalogue: codes with user-facing messages. Each domain declares one
 * (`<domain>.errors.ts`) and raises errors through it, so messages stay in one place.
 */
export type ErrorCatalogue = Record<string, { code: ErrorCode; message: string; field?: string }>;

export function raise<C extends ErrorCatalogue>(
  catalogue: C,
  key: keyof C & string,
  details?: Record<string, unknown>,
  message?: string,
): AppError {
  const entry = catalogue[key];
  return new AppError(entry.code, message ?? entry.message, { reason: key, field: entry.field, details });
}
