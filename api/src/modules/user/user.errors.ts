import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const UserErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'User not found' },
  EMAIL_TAKEN: { code: ErrorCode.CONFLICT, message: 'This email is already used by another user', field: 'email' },
  SELF_DISABLE: { code: ErrorCode.CONFLICT, message: 'You cannot disable or delete your own account' },
  LAST_ADMIN: { code: ErrorCode.CONFLICT, message: 'A tenant must keep at least one enabled admin' },
  WRONG_PASSWORD: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'The current password is wrong',
    field: 'currentPassword',
  },
} satisfies ErrorCatalogue;
