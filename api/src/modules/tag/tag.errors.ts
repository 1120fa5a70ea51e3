import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const MAX_TAG_DEPTH = 10;
export const MAX_CONVERSATION_TAGS = 1000;
export const MAX_ROOT_TAGS = 20;

export const TagErrors = {
  CUSTOMER_TAG_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Customer tag not found' },
  CONVERSATION_TAG_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Conversation tag not found' },
  CUSTOMER_TAG_NAME_TAKEN: { code: ErrorCode.CONFLICT, message: 'A customer tag with this name already exists' },
  SIBLING_NAME_TAKEN: {
    code: ErrorCode.CONFLICT,
    message: 'A conversation tag with this name already exists at this place in the tree',
  },
  TOO_DEEP: {
    code: ErrorCode.BAD_USER_INPUT,
    message: `Conversation tags can be at most ${MAX_TAG_DEPTH} levels deep`,
  },
  TOO_MANY_TAGS: {
    code: ErrorCode.BAD_USER_INPUT,
    message: `A tenant can have at most ${MAX_CONVERSATION_TAGS.toLocaleString('en')} conversation tags`,
  },
  TOO_MANY_ROOTS: {
    code: ErrorCode.BAD_USER_INPUT,
    message: `A tenant can have at most ${MAX_ROOT_TAGS} root conversation tags`,
  },
  MOVE_INTO_ITSELF: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'A tag cannot be moved under itself or one of its own tags',
    field: 'parentId',
  },
  MAY_NOT_TAG: {
    code: ErrorCode.FORBIDDEN,
    message:
      'Only the agent serving the conversation, a supervisor, or (after close) someone who may see it in History can tag it',
  },
  TAG_REQUIRED: {
    code: ErrorCode.CONFLICT,
    message: 'Add a conversation tag before closing: the settings require one',
  },
  TOO_MANY_ROWS: { code: ErrorCode.BAD_USER_INPUT, message: 'The file has too many rows', field: 'fileId' },
} satisfies ErrorCatalogue;
