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
} satisfies ErrorCatalogue;
