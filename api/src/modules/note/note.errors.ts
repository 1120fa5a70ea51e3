import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const NoteErrors = {
  AGENT_SERVING: {
    code: ErrorCode.CONFLICT,
    message: 'An agent is serving your conversation: write to them instead of leaving a note',
  },
  BLACKLISTED: { code: ErrorCode.FORBIDDEN, message: 'This customer cannot leave notes' },
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Note not found' },
  USER_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'User not found', field: 'userId' },
  ASSIGNEE_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'User not found', field: 'assigneeId' },
  ASSIGNEE_FILTERS: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'Filter by assignee or by assigneeId, not both',
    field: 'assignee',
  },
  MINE_NEEDS_USER: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'Only a signed-in user has notes of their own',
    field: 'assignee',
  },
  DATE_RANGE: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'createdFrom must be before createdTo',
    field: 'createdFrom',
  },
  EXPORT_TOO_LARGE: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'Too many notes for one file: narrow the filters',
  },
} satisfies ErrorCatalogue;
