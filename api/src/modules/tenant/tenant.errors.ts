import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const TenantErrors = {
  REGISTRATION_DISABLED: {
    code: ErrorCode.FORBIDDEN,
    message: 'Registration of new tenants is disabled on this server',
  },
  SEAT_LIMIT: {
    code: ErrorCode.CONFLICT,
    message: 'The licence allows no more enabled users',
  },
  CRM_URL_REQUIRED: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'The CRM panel needs the address of the CRM page',
    field: 'crmFrame.url',
  },
  CRM_KEY_REQUIRED: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'Encrypting the CRM parameters needs a key of 8 to 128 characters',
    field: 'crmFrame.key',
  },
} satisfies ErrorCatalogue;
