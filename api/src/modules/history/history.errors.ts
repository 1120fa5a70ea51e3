import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const HistoryErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Conversation not found' },
  CUSTOMER_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Customer not found' },
  FILTER_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'A filter names something that does not exist' },
  MODE_NOT_GRANTED: { code: ErrorCode.FORBIDDEN, message: 'Your role does not grant this mode of the page' },
  AGENT_MODE_USERS_ONLY: {
    code: ErrorCode.FORBIDDEN,
    message: 'Agent Mode shows your own conversations: sign in as a user',
  },
  BAD_RANGE: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'The start of a range must be before its end',
    field: 'filter',
  },
  WINDOW_TOO_LONG: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'A search covers at most 366 days',
    field: 'filter',
  },
  KEYWORD_BLANK: { code: ErrorCode.BAD_USER_INPUT, message: 'Enter a keyword to search for', field: 'keyword' },
} satisfies ErrorCatalogue;
