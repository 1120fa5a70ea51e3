import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const ApiKeyErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'API key not found' },
  INVALID: { code: ErrorCode.UNAUTHENTICATED, message: 'The API key is invalid or revoked' },
} satisfies ErrorCatalogue;
