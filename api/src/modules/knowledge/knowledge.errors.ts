import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const KnowledgeErrors = {
  ARTICLE_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Article not found' },
  CATEGORY_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Knowledge category not found', field: 'categoryId' },
  ATTACHMENT_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Attachment not found', field: 'attachmentIds' },
  NAME_INVALID: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'A category name has 1 to 60 characters and no "/"',
    field: 'name',
  },
  NAME_TAKEN: { code: ErrorCode.CONFLICT, message: 'A category with this name already exists here' },
  TOO_DEEP: { code: ErrorCode.BAD_USER_INPUT, message: 'Categories have at most 3 levels', field: 'parentId' },
  CATEGORY_NOT_EMPTY: {
    code: ErrorCode.CONFLICT,
    message: 'Only an empty category can be deleted: move or delete its articles and subcategories first',
  },
  TOO_MANY_CATEGORIES: { code: ErrorCode.CONFLICT, message: 'At most 500 knowledge categories' },
  TITLE_INVALID: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'The title must have 1 to 200 characters',
    field: 'title',
  },
  BODY_TOO_LARGE: { code: ErrorCode.BAD_USER_INPUT, message: 'The body may be at most 200 KB', field: 'body' },
  TOO_MANY_ATTACHMENTS: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'An article may have at most 20 attachments',
    field: 'attachmentIds',
  },
  REORDER_INCOMPLETE: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'Give every category under the same parent exactly once, in the new order',
    field: 'ids',
  },
} satisfies ErrorCatalogue;
