import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const PresenceErrors = {
  USER_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'User not found' },
  OFFLINE_BY_HAND: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'OFFLINE cannot be chosen: a user goes offline by signing out or closing every console window',
    field: 'status',
  },
  CAPACITY_ADMIN_ONLY: {
    code: ErrorCode.FORBIDDEN,
    message: 'Only an admin can change your maximum conversations (the capacity editor setting is ADMIN)',
  },
  CAPACITY_OF_OTHERS: {
    code: ErrorCode.FORBIDDEN,
    message: "Changing another user's maximum conversations needs the ADMIN_USERS page",
  },
  RANGE_REVERSED: { code: ErrorCode.BAD_USER_INPUT, message: '`to` must not be before `from`', field: 'to' },
} satisfies ErrorCatalogue;
