import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const NoteErrors = {
  AGENT_SERVING: {
    code: ErrorCode.CONFLICT,
    message: 'An agent is serving your conversation: write to them instead of leaving a note',
  },
  BLACKLISTED: { code: ErrorCode.FORBIDDEN, message: 'This customer cannot leave notes' },
} satisfies ErrorCatalogue;
