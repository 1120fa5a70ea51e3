import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const SatisfactionErrors = {
  ALREADY_INVITED: { code: ErrorCode.CONFLICT, message: 'A rating was already invited for this conversation' },
  NOT_SERVING: {
    code: ErrorCode.FORBIDDEN,
    message: 'Only the agent serving this conversation can invite a rating',
  },
  CLOSED_TOO_LONG_AGO: {
    code: ErrorCode.CONFLICT,
    message: 'A rating can be invited only while the conversation is open or within 30 minutes of its close',
  },
  NOT_INVITED: { code: ErrorCode.CONFLICT, message: 'This conversation has no rating invitation' },
  RATING_EXPIRED: { code: ErrorCode.CONFLICT, message: 'The time to rate this conversation has passed' },
  ALREADY_RATED: { code: ErrorCode.CONFLICT, message: 'This conversation has already been rated' },
} satisfies ErrorCatalogue;
