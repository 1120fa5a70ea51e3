import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const BlacklistErrors = {
  CUSTOMER_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Customer not found' },
  CONVERSATION_NOT_FOUND: {
    code: ErrorCode.NOT_FOUND,
    message: 'Conversation not found for this customer',
    field: 'conversationId',
  },
  ALREADY_BLACKLISTED: { code: ErrorCode.CONFLICT, message: 'This customer is already on the blacklist' },
  NOT_BLACKLISTED: { code: ErrorCode.CONFLICT, message: 'This customer is not on the blacklist' },
  REASON_TOO_LONG: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'reason must be at most 500 characters',
    field: 'reason',
  },
} satisfies ErrorCatalogue;
