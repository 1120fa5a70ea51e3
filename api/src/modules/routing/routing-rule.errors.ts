import { ErrorCode, type ErrorCatalogue } from '../../platform/errors/app-error';

export const RoutingRuleErrors = {
  NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Routing rule not found' },
  TEAM_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Team not found', field: 'teamId' },
  OFF_HOURS_TEAM_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Off-hours team not found', field: 'offHoursTeamId' },
  TIME_PLAN_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Time plan not found', field: 'timePlanId' },
  CHANNEL_ACCOUNT_NOT_FOUND: {
    code: ErrorCode.NOT_FOUND,
    message: 'Channel account not found',
    field: 'channelAccountId',
  },
  WIDGET_NOT_FOUND: { code: ErrorCode.NOT_FOUND, message: 'Widget configuration not found', field: 'widgetId' },
  CHANNEL_REQUIRED: { code: ErrorCode.BAD_USER_INPUT, message: 'A channel rule needs a channel', field: 'channel' },
  CHANNEL_ACCOUNT_REQUIRED: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'A channel-account rule needs a channel account',
    field: 'channelAccountId',
  },
  WIDGET_REQUIRED: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'An entry rule needs a widget (entry)',
    field: 'widgetId',
  },
  CONDITIONS_REQUIRED: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'A customer-profile rule needs at least one condition',
    field: 'conditions',
  },
  INVALID_CONDITION: { code: ErrorCode.BAD_USER_INPUT, message: 'Invalid condition', field: 'conditions' },
  FIELD_NOT_FOR_KIND: { code: ErrorCode.BAD_USER_INPUT, message: 'This field does not apply to the rule kind' },
  OFF_HOURS_NEEDS_PLAN: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'An off-hours team needs a time plan that says when the work hours are',
    field: 'offHoursTeamId',
  },
  DEFAULT_KIND_FIXED: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'A rule cannot become the default rule or stop being it; create or delete the default rule instead',
    field: 'kind',
  },
  DEFAULT_EXISTS: {
    code: ErrorCode.CONFLICT,
    message: 'The company already has a default rule; edit that one instead',
    field: 'kind',
  },
  ORDER_INVALID: {
    code: ErrorCode.BAD_USER_INPUT,
    message: 'List every routing rule except the default rule exactly once',
    field: 'ids',
  },
} satisfies ErrorCatalogue;
