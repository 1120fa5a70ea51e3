import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const CustomerListErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Customer not found' },
  TAG_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Customer tag not found' },
  BAD_RANGE: { code: ErrorCode.BAD_USER_INPUT, message: '`from` must be before `to`', field: 'filter' },
} satisfies ErrorCatalogue;
