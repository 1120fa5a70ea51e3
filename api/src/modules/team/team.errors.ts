import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const TeamErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Team not found' },
  NAME_TAKEN: { code: ErrorCode.CONFLICT, message: 'A team with this name already exists', field: 'name' },
  USERS_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Some users were not found', field: 'userIds' },
} satisfies ErrorCatalogue;
