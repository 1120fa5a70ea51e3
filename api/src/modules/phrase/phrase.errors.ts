import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const PhraseErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Phrase not found' },
  CATEGORY_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Phrase category not found', field: 'categoryId' },
  PUBLIC_NEEDS_ADMIN: {
    code: ErrorCode.FORBIDDEN,
    message: 'Only admins with the content page manage public phrases',
  },
  PERSONAL_NEEDS_USER: {
    code: ErrorCode.FORBIDDEN,
    message: 'Personal phrases belong to a signed-in user with the phrases page',
  },
  CONTENT_EMPTY: { code: ErrorCode.BAD_USER_INPUT, message: 'The phrase must not be empty', field: 'content' },
  CONTENT_TOO_LONG: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'A phrase may have at most 2,000 characters',
    field: 'content',
  },
  NAME_EMPTY: { code: ErrorCode.BAD_USER_INPUT, message: 'The category name must not be empty', field: 'name' },
  NAME_TOO_LONG: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'A category name may have at most 60 characters',
    field: 'name',
  },
  NAME_TAKEN: { code: ErrorCode.CONFLICT, message: 'A category with this name already exists here' },
  TOO_DEEP: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'Public categories have two levels and personal categories one',
    field: 'parentId',
  },
  CATEGORY_NOT_EMPTY: {
    code: ErrorCode.CONFLICT,
    message: 'Only an empty category can be deleted: move or delete its phrases and subcategories first',
  },
  TOO_MANY_PHRASES: { code: ErrorCode.CONFLICT, message: 'At most 5,000 phrases per owner' },
  TOO_MANY_CATEGORIES: { code: ErrorCode.CONFLICT, message: 'At most 500 categories per owner' },
  MIXED_SET: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'All the items must belong to the same set (public, or your personal ones)',
    field: 'ids',
  },
  REORDER_INCOMPLETE: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'Give every item of the list exactly once, in the new order',
    field: 'ids',
  },
  PROPOSAL_SOURCE: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'Give either one of your personal phrases or a text',
    field: 'phraseId',
  },
  NOT_PERSONAL: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'Only a personal phrase can be proposed for the public set',
    field: 'phraseId',
  },
} satisfies ErrorCatalogue;
