import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const ConversationErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Conversation not found' },
  MESSAGE_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Message not found' },
  CLOSED: { code: ErrorCode.CONFLICT, message: 'The conversation is closed' },
  NOT_QUEUED: { code: ErrorCode.CONFLICT, message: 'The conversation is no longer waiting in the queue' },
  QUEUED_MESSAGES_HIDDEN: {
    code: ErrorCode.FORBIDDEN,
    message: 'Agents may not read the messages of waiting conversations (an admin can change this in the settings)',
  },
  NOT_SERVING: { code: ErrorCode.FORBIDDEN, message: 'You are not serving this conversation' },
  RECALL_WINDOW_PASSED: {
    code: ErrorCode.CONFLICT,
    message: 'A message can be recalled only within 2 minutes of sending it',
  },
  NOT_YOUR_MESSAGE: { code: ErrorCode.FORBIDDEN, message: 'You can recall only your own messages' },
  BLACKLISTED: { code: ErrorCode.FORBIDDEN, message: 'This customer cannot start conversations' },
  EMPTY_MESSAGE: { code: ErrorCode.BAD_USER_INPUT, message: 'A text message needs text', field: 'text' },
  BAD_PAYLOAD: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'The payload does not fit the message type',
    field: 'payload',
  },
} satisfies ErrorCatalogue;
