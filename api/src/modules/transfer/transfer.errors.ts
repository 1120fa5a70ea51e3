import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const TransferErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Transfer not found' },
  ONE_TARGET: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'Give exactly one target: toUserId or toTeamId',
    field: 'toUserId',
  },
  NOT_ONGOING: { code: ErrorCode.CONFLICT, message: 'Only an ongoing conversation can be transferred' },
  TEAM_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Team not found', field: 'toTeamId' },
  TEAM_EMPTY: { code: ErrorCode.CONFLICT, message: 'The team has no members, so it cannot take a transfer' },
  AGENT_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'User not found', field: 'toUserId' },
  AGENT_OFFLINE: { code: ErrorCode.CONFLICT, message: 'The agent is offline or disabled' },
  ALREADY_SERVING: { code: ErrorCode.CONFLICT, message: 'The agent is already serving this conversation' },
  OFFER_PENDING: {
    code: ErrorCode.CONFLICT,
    message: 'A transfer of this conversation is already waiting for an answer',
  },
  NOT_OFFERED: { code: ErrorCode.CONFLICT, message: 'The transfer is no longer waiting for an answer' },
  NOT_YOURS: { code: ErrorCode.FORBIDDEN, message: 'Only the agent it was offered to can answer it' },
} satisfies ErrorCatalogue;
