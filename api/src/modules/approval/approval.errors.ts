import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const ApprovalErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Approval request not found' },
  NOT_PENDING: { code: ErrorCode.CONFLICT, message: 'This request has already been decided or cancelled' },
  OWN_REQUEST: { code: ErrorCode.FORBIDDEN, message: 'You cannot decide your own request' },
  REASON_TOO_LONG: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'The reason may have at most 500 characters',
    field: 'reason',
  },
} satisfies ErrorCatalogue;
