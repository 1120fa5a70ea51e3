import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const CustomerErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Customer not found' },
  NOT_SERVING: { code: ErrorCode.FORBIDDEN, message: 'Only an agent serving this customer can edit the profile' },
} satisfies ErrorCatalogue;
