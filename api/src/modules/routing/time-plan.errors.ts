import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const TimePlanErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Time plan not found' },
  BOUND_PLAN_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Time plan not found', field: 'timePlanId' },
  TEAM_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Team not found', field: 'teamId' },
  NAME_TAKEN: { code: ErrorCode.CONFLICT, message: 'A time plan with this name already exists', field: 'name' },
  DEFAULT_REQUIRED: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'A default time plan must exist: make another plan the default instead',
    field: 'isDefault',
  },
  DEFAULT_PLAN_IN_USE: {
    code: ErrorCode.CONFLICT,
    message: 'The default time plan cannot be deleted while other plans exist; make another plan the default first',
  },
} satisfies ErrorCatalogue;
