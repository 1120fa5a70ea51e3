import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const AuthErrors = {
  INVALID_CREDENTIALS: { code: ErrorCode.UNAUTHENTICATED, message: 'Wrong email or password' },
  USER_DISABLED: { code: ErrorCode.UNAUTHENTICATED, message: 'This account is disabled; ask an admin to enable it' },
  RATE_LIMITED: {
    code: ErrorCode.RATE_LIMITED,
    message: 'Too many failed sign-in attempts; try again later',
  },
  INVALID_REFRESH_TOKEN: { code: ErrorCode.UNAUTHENTICATED, message: 'The session has ended; sign in again' },
  REFRESH_TOKEN_REUSED: {
    code: ErrorCode.UNAUTHENTICATED,
    message: 'This refresh token was already used; the session has been ended for safety',
  },
  INVALID_TOKEN: { code: ErrorCode.UNAUTHENTICATED, message: 'The access token is invalid or expired' },
  EMAIL_TAKEN: { code: ErrorCode.CONFLICT, message: 'This email is already used by another user', field: 'adminEmail' },
} satisfies ErrorCatalogue;
