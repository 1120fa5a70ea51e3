import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const ChannelErrors = {
  WIDGET_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Widget configuration not found' },
  ACCOUNT_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Channel account not found' },
  ACCOUNT_NAME_TAKEN: {
    code: ErrorCode.CONFLICT,
    message: 'This channel already has an account with this name',
    field: 'name',
  },
} satisfies ErrorCatalogue;
