import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const ProfileErrors = {
  FIELD_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Profile field not found' },
  GROUP_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Customer group not found' },
  SYSTEM_FIELD: { code: ErrorCode.BAD_USER_INPUT, message: 'System fields cannot be deleted or retyped' },
  ALWAYS_READ_ONLY: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'The customer ID is always read-only',
    field: 'readOnly',
  },
  TOO_MANY_FIELDS: { code: ErrorCode.BAD_USER_INPUT, message: 'A tenant can have at most 50 custom profile fields' },
  OPTIONS_REQUIRED: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'A SELECT field needs at least one option',
    field: 'options',
  },
  OPTIONS_NOT_ALLOWED: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'Only a SELECT field has options',
    field: 'options',
  },
  DUPLICATE_OPTION: { code: ErrorCode.BAD_USER_INPUT, message: 'The options must differ', field: 'options' },
  DUPLICATE_IDS: { code: ErrorCode.BAD_USER_INPUT, message: 'Each field may appear once', field: 'ids' },
  GROUP_NAME_TAKEN: { code: ErrorCode.CONFLICT, message: 'A customer group with this name already exists' },
  UNKNOWN_FIELD: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'There is no profile field with this key',
    field: 'fields',
  },
  FIELD_DISABLED: { code: ErrorCode.BAD_USER_INPUT, message: 'This profile field is turned off', field: 'fields' },
  FIELD_READ_ONLY: { code: ErrorCode.BAD_USER_INPUT, message: 'This profile field is read-only', field: 'fields' },
  INVALID_VALUE: { code: ErrorCode.BAD_USER_INPUT, message: 'The value does not fit the field', field: 'fields' },
} satisfies ErrorCatalogue;
