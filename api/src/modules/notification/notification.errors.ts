import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const NotificationErrors = {
  NO_RECIPIENTS: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'Choose who receives the notice: everyone, teams or users',
  },
  EVERYONE_AND_LIST: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'A notice to everyone takes no teams or users',
    field: 'everyone',
  },
  NOBODY_TO_NOTIFY: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'No enabled user is among the chosen recipients',
  },
  TEAM_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Team not found', field: 'teamIds' },
  USER_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'User not found', field: 'userIds' },
} satisfies ErrorCatalogue;
