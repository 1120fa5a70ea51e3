import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const RoleErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Role not found' },
  NAME_TAKEN: { code: ErrorCode.CONFLICT, message: 'A role with this name already exists', field: 'name' },
  BUILT_IN: { code: ErrorCode.CONFLICT, message: 'Built-in roles cannot be changed or deleted' },
  IN_USE: { code: ErrorCode.CONFLICT, message: 'The role is still held by users or API keys' },
} satisfies ErrorCatalogue;
