import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const AssignmentErrors = {
  JOIN_NOT_ALLOWED: {
    code: ErrorCode.FORBIDDEN,
    message: 'Agents may not join conversations from the queue (an admin can change this in the settings)',
  },
  AGENT_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'User not found', field: 'userId' },
  AGENT_OFFLINE: { code: ErrorCode.CONFLICT, message: 'The agent is offline or disabled' },
} satisfies ErrorCatalogue;
