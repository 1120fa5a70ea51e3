import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const VisitorErrors = {
  UNKNOWN_WIDGET: { code: ErrorCode.NOT_FOUND, message: 'There is no widget with this key', field: 'widgetKey' },
  BAD_SIGNATURE: {
    code: ErrorCode.UNAUTHENTICATED,
    message: 'customerIdSignature does not match customerId',
    field: 'customerIdSignature',
  },
  BLACKLISTED: { code: ErrorCode.FORBIDDEN, message: 'This customer cannot start conversations' },
} satisfies ErrorCatalogue;
