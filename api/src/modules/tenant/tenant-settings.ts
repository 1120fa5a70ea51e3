import {
  ArrayMaxSize,
  ArrayUnique,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { raise } from '../../platform/errors/app-error';
import { NotBlank, OptionalNotNull } from '../../platform/graphql/validators';
import { ChannelType } from '../channel/channel.entity';
import { AlarmLevel } from '../conversation/conversation.entity';
import { TenantErrors } from './tenant.errors';

// Durations are in seconds, so that a test (or an impatient admin) can use short ones.
const DAY = 24 * 60 * 60;

export enum CapacityEditor {
  /** Only admins change an agent's max conversations; the agent is notified. */
  ADMIN = 'ADMIN',
  /** Agents may also change their own. */
  AGENT = 'AGENT',
}

export enum FamiliarityMode {
  /** The agent who served the customer last. */
  LAST = 'LAST',
  /** The agent who served the customer most often. */
  MOST = 'MOST',
}

export enum RatingKept {
  FIRST = 'FIRST',
  LAST = 'LAST',
}

registerEnumType(CapacityEditor, { name: 'CapacityEditor' });
registerEnumType(FamiliarityMode, { name: 'FamiliarityMode' });
registerEnumType(RatingKept, { name: 'RatingKept', description: 'Which rating counts when a customer rates twice.' });

/** What the CRM panel passes to the CRM, each under a fixed name (`CRM_PARAM_NAMES` in the crm module). */
export enum CrmParam {
  /** Parley's id of the customer. */
  CUSTOMER_ID = 'CUSTOMER_ID',
  /** The id the customer's site or app gave (`Customer.externalId`). */
  CUSTOMER_EXTERNAL_ID = 'CUSTOMER_EXTERNAL_ID',
  CUSTOMER_NICKNAME = 'CUSTOMER_NICKNAME',
  CONVERSATION_ID = 'CONVERSATION_ID',
  /** WEB, APP, … */
  CHANNEL = 'CHANNEL',
  /** The signed-in user who opens the panel. */
  AGENT_ID = 'AGENT_ID',
  AGENT_NICKNAME = 'AGENT_NICKNAME',
  TENANT_ID = 'TENANT_ID',
}

registerEnumType(CrmParam, {
  name: 'CrmParam',
  description: 'A value the CRM panel passes to the CRM (docs/crm-iframe.md has the parameter names).',
});

@ObjectType({ description: 'Transfer to an agent (CNV-4, CNV-10).' })
export class TransferSettings {
  @Field({ description: 'The target agent must accept within the timeout.' })
  requireConfirmation!: boolean;

  @Field(() => Int)
  confirmationTimeoutSeconds!: number;

  @Field({ description: 'No team or agent greeting when a conversation arrives by transfer.' })
  skipGreetings!: boolean;
}

@ObjectType({ description: 'Prefer an agent who served the customer before (QUE-9).' })
export class FamiliaritySettings {
  @Field()
  enabled!: boolean;

  @Field(() => FamiliarityMode)
  mode!: FamiliarityMode;
}

@ObjectType({ description: 'When the agent has not replied to the customer in time (CNV-9).' })
export class NoReplySettings {
  @Field()
  enabled!: boolean;

  @Field(() => Int)
  afterSeconds!: number;

  @Field({ description: 'Highlight the conversation in the agent’s list.' })
  highlight!: boolean;

  @Field({ description: 'Send `reminderText` to the customer.' })
  remindCustomer!: boolean;

  @Field()
  reminderText!: string;

  @Field({ description: 'Write an alarm record.' })
  alarm!: boolean;

  @Field(() => AlarmLevel)
  alarmLevel!: AlarmLevel;
}

@ObjectType({ description: 'Close when the customer does not answer the agent (CNV-7 a).' })
export class CustomerNoReplySettings {
  @Field()
  enabled!: boolean;

  @Field(() => Int, { description: 'Silence after the agent’s message before the reminder.' })
  reminderAfterSeconds!: number;

  @Field()
  reminderText!: string;

  @Field(() => Int, { description: 'Further silence after the reminder before closing.' })
  closeAfterSeconds!: number;

  @Field()
  closeText!: string;
}

@ObjectType({ description: 'Close when neither side has written for a while (CNV-7 b).' })
export class InactivitySettings {
  @Field()
  enabled!: boolean;

  @Field(() => Int)
  afterSeconds!: number;

  @Field()
  closeText!: string;

  @Field(() => [String], { description: 'Conversation tags added when it is closed this way.' })
  tagIds!: string[];

  @Field(() => String, { nullable: true })
  remark!: string | null;
}

@ObjectType({ description: 'Reminders to a customer waiting in the queue (QUE-11).' })
export class QueueReminderSettings {
  @Field()
  enabled!: boolean;

  @Field(() => Int)
  delaySeconds!: number;

  @Field(() => Int, { description: 'How many reminders at most.' })
  repeat!: number;

  @Field(() => Int)
  intervalSeconds!: number;

  @Field()
  text!: string;

  @Field({ description: 'Offer the visitor to leave a note instead (which closes the queued conversation).' })
  offerNote!: boolean;
}

@ObjectType({ description: 'Satisfaction ratings (CNV-5).' })
export class SatisfactionSettings {
  @Field(() => [ChannelType], { description: 'Invite a rating automatically on close, for these channels.' })
  autoInviteChannels!: ChannelType[];

  @Field({ description: 'No automatic invitation when the conversation had only one message.' })
  skipSingleMessage!: boolean;

  @Field({ description: 'No automatic invitation when the system closed it.' })
  skipAutoClosed!: boolean;

  @Field(() => Int, { description: 'How long after the invitation the customer may rate.' })
  timeLimitSeconds!: number;

  @Field(() => RatingKept)
  kept!: RatingKept;
}

@ObjectType({
  description:
    'The CRM panel beside the chat (CNV-12): the configured page, opened with the conversation’s parameters (docs/crm-iframe.md).',
})
export class CrmFrameSettings {
  @Field({ description: 'Show the CRM tab beside the chat.' })
  enabled!: boolean;

  @Field(() => String, { nullable: true, description: 'The CRM page: https (http only for localhost).' })
  url!: string | null;

  @Field(() => [CrmParam], { description: 'The parameters passed, in this order.' })
  params!: CrmParam[];

  @Field({ description: 'Pass the parameters as one AES-256-GCM sealed parameter `p` instead of in clear.' })
  encrypt!: boolean;

  // Write-only: never a field of the schema (every signed-in user reads the settings); `keySet`
  // (crm module) says whether there is one.
  key!: string | null;
}

/**
 * The tenant's function settings (SET-1): one typed object with defaults, effective immediately
 * (every decision reads the current value).
 */
@ObjectType()
export class TenantSettings {
  @Field({ description: 'Send the welcome message when a conversation starts (CNV-10).' })
  welcomeMessageEnabled!: boolean;

  @Field({ description: 'At most 500 characters.' })
  welcomeMessage!: string;

  @Field({ description: "The dispatcher's nickname shown on system messages." })
  dispatcherNickname!: string;

  @Field({
    description:
      'How greetings and phrases address a customer whose nickname is not usable: `##dear##` becomes this (TEN-6).',
  })
  defaultAddress!: string;

  @Field(() => TransferSettings)
  transfer!: TransferSettings;

  @Field(() => CapacityEditor, { description: 'Who may change an agent’s max conversations (PRE-2).' })
  capacityEditor!: CapacityEditor;

  @Field({ description: 'Agents may join conversations from the queue themselves (QUE-4).' })
  agentsMayJoinFromQueue!: boolean;

  @Field({ description: 'Agents may read the messages of queued conversations (QUE-6).' })
  agentsMayViewQueuedMessages!: boolean;

  @Field(() => FamiliaritySettings)
  familiarity!: FamiliaritySettings;

  @Field({ description: 'Assign automatically only within the team’s business hours (QUE-10).' })
  assignOnlyInBusinessHours!: boolean;

  @Field({ description: 'Show the Agents page in Agent Mode.' })
  agentsPageInAgentMode!: boolean;

  @Field({ description: 'Sort the conversation list by the agent’s latest message.' })
  sortByAgentLatestMessage!: boolean;

  @Field({ description: 'Show the time of the last message in the conversation list.' })
  showLastMessageTime!: boolean;

  @Field({ description: 'A plainer chat window.' })
  cleanChatUi!: boolean;

  @Field({ description: 'Agents’ blacklist additions need an admin’s approval (CNV-8).' })
  blacklistNeedsApproval!: boolean;

  @Field({ description: 'Agents’ changes from online to busy, away or invisible need approval (PRE-3).' })
  statusChangeNeedsApproval!: boolean;

  @Field({ description: 'A conversation cannot be closed without a conversation tag (CNV-6).' })
  forceConversationTag!: boolean;

  @Field(() => NoReplySettings)
  noReply!: NoReplySettings;

  @Field(() => CustomerNoReplySettings)
  customerNoReply!: CustomerNoReplySettings;

  @Field(() => InactivitySettings)
  inactivity!: InactivitySettings;

  @Field(() => QueueReminderSettings)
  queueReminder!: QueueReminderSettings;

  @Field(() => SatisfactionSettings)
  satisfaction!: SatisfactionSettings;

  @Field(() => CrmFrameSettings)
  crmFrame!: CrmFrameSettings;
}

export const DEFAULT_SETTINGS: TenantSettings = {
  welcomeMessageEnabled: true,
  welcomeMessage: 'Hello! Thanks for contacting us. An agent will be with you shortly.',
  dispatcherNickname: 'Dispatcher',
  defaultAddress: 'Customer',
  transfer: { requireConfirmation: false, confirmationTimeoutSeconds: 4 * 60, skipGreetings: false },
  capacityEditor: CapacityEditor.ADMIN,
  agentsMayJoinFromQueue: true,
  agentsMayViewQueuedMessages: true,
  familiarity: { enabled: false, mode: FamiliarityMode.LAST },
  assignOnlyInBusinessHours: false,
  agentsPageInAgentMode: false,
  sortByAgentLatestMessage: false,
  showLastMessageTime: true,
  cleanChatUi: false,
  blacklistNeedsApproval: false,
  statusChangeNeedsApproval: false,
  forceConversationTag: false,
  noReply: {
    enabled: false,
    afterSeconds: 3 * 60,
    highlight: true,
    remindCustomer: false,
    reminderText: 'Sorry to keep you waiting. We will be right with you.',
    alarm: true,
    alarmLevel: AlarmLevel.WARNING,
  },
  customerNoReply: {
    enabled: false,
    reminderAfterSeconds: 5 * 60,
    reminderText: 'Are you still there? This conversation will close soon if we do not hear from you.',
    closeAfterSeconds: 5 * 60,
    closeText: 'We closed this conversation as we did not hear back. Write again any time.',
  },
  inactivity: {
    enabled: true,
    afterSeconds: DAY,
    closeText: 'This conversation was closed after a period of inactivity.',
    tagIds: [],
    remark: null,
  },
  queueReminder: {
    enabled: false,
    delaySeconds: 60,
    repeat: 3,
    intervalSeconds: 120,
    text: 'All our agents are busy. Thank you for waiting; you are in the queue.',
    offerNote: true,
  },
  satisfaction: {
    autoInviteChannels: [],
    skipSingleMessage: true,
    skipAutoClosed: true,
    timeLimitSeconds: DAY,
    kept: RatingKept.LAST,
  },
  crmFrame: {
    enabled: false,
    url: null,
    params: [
      CrmParam.CUSTOMER_ID,
      CrmParam.CUSTOMER_EXTERNAL_ID,
      CrmParam.CONVERSATION_ID,
      CrmParam.CHANNEL,
      CrmParam.AGENT_ID,
      CrmParam.TENANT_ID,
    ],
    encrypt: false,
    key: null,
  },
};

type Groups = {
  [K in keyof TenantSettings]: TenantSettings[K] extends object
    ? TenantSettings[K] extends unknown[]
      ? never
      : K
    : never;
}[keyof TenantSettings];

const GROUPS: Groups[] = [
  'transfer',
  'familiarity',
  'noReply',
  'customerNoReply',
  'inactivity',
  'queueReminder',
  'satisfaction',
  'crmFrame',
];

/** The stored settings over the defaults; groups are merged field by field, so new fields get defaults. */
export function withDefaults(stored: Partial<TenantSettings> | null | undefined): TenantSettings {
  const merged = { ...DEFAULT_SETTINGS, ...(stored ?? {}) } as TenantSettings;
  for (const group of GROUPS) {
    (merged as unknown as Record<string, object>)[group] = { ...DEFAULT_SETTINGS[group], ...(stored?.[group] ?? {}) };
  }
  return merged;
}

/** Applies a partial update: only the fields given change, within groups too. */
export function applySettings(current: TenantSettings, input: TenantSettingsInput): TenantSettings {
  const next = { ...current } as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if ((GROUPS as string[]).includes(key)) {
      const defined = Object.fromEntries(Object.entries(value as object).filter(([, v]) => v !== undefined));
      next[key] = { ...(next[key] as object), ...defined };
    } else {
      next[key] = value;
    }
  }
  const settings = next as unknown as TenantSettings;
  checkCrmFrame(settings.crmFrame);
  return settings;
}

/** What no single input field can check: the CRM panel needs its page, and sealing needs a key. */
function checkCrmFrame(crm: CrmFrameSettings): void {
  if (crm.enabled && !crm.url) throw raise(TenantErrors, 'CRM_URL_REQUIRED');
  if (crm.encrypt && !crm.key) throw raise(TenantErrors, 'CRM_KEY_REQUIRED');
}

/** https, or http for a CRM running on the same machine (development); no credentials in it. */
export function isCrmFrameUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username || url.password) return false;
  return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

// ── Input: every field optional; given fields change, the rest stay. ──────────────

/** A duration in seconds: 1 s to 30 days. */
function Seconds(): PropertyDecorator {
  return (target, key) => {
    for (const decorate of [OptionalNotNull(), IsInt(), Min(1), Max(30 * DAY)]) decorate(target, key);
  };
}

@InputType()
export class TransferSettingsInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  requireConfirmation?: boolean;

  @Field(() => Int, { nullable: true, description: '5 s to 1 hour.' })
  @OptionalNotNull()
  @IsInt()
  @Min(5)
  @Max(3600)
  confirmationTimeoutSeconds?: number;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  skipGreetings?: boolean;
}

@InputType()
export class FamiliaritySettingsInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @Field(() => FamiliarityMode, { nullable: true })
  @OptionalNotNull()
  @IsEnum(FamiliarityMode)
  mode?: FamiliarityMode;
}

@InputType()
export class NoReplySettingsInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @Field(() => Int, { nullable: true })
  @Seconds()
  afterSeconds?: number;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  highlight?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  remindCustomer?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @Length(1, 500)
  reminderText?: string;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  alarm?: boolean;

  @Field(() => AlarmLevel, { nullable: true })
  @OptionalNotNull()
  @IsEnum(AlarmLevel)
  alarmLevel?: AlarmLevel;
}

@InputType()
export class CustomerNoReplySettingsInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @Field(() => Int, { nullable: true })
  @Seconds()
  reminderAfterSeconds?: number;

  @Field({ nullable: true })
  @OptionalNotNull()
  @Length(1, 500)
  reminderText?: string;

  @Field(() => Int, { nullable: true })
  @Seconds()
  closeAfterSeconds?: number;

  @Field({ nullable: true })
  @OptionalNotNull()
  @Length(1, 500)
  closeText?: string;
}

@InputType()
export class InactivitySettingsInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @Field(() => Int, { nullable: true })
  @Seconds()
  afterSeconds?: number;

  @Field({ nullable: true })
  @OptionalNotNull()
  @Length(1, 500)
  closeText?: string;

  @Field(() => [String], { nullable: true })
  @OptionalNotNull()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  tagIds?: string[];

  @Field(() => String, { nullable: true, description: 'At most 1,000 characters; empty clears it.' })
  @IsOptional()
  @MaxLength(1000)
  remark?: string | null;
}

@InputType()
export class QueueReminderSettingsInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @Field(() => Int, { nullable: true })
  @Seconds()
  delaySeconds?: number;

  @Field(() => Int, { nullable: true, description: '1 to 20.' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(20)
  repeat?: number;

  @Field(() => Int, { nullable: true })
  @Seconds()
  intervalSeconds?: number;

  @Field({ nullable: true })
  @OptionalNotNull()
  @Length(1, 500)
  text?: string;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  offerNote?: boolean;
}

@InputType()
export class SatisfactionSettingsInput {
  @Field(() => [ChannelType], { nullable: true })
  @OptionalNotNull()
  @IsEnum(ChannelType, { each: true })
  autoInviteChannels?: ChannelType[];

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  skipSingleMessage?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  skipAutoClosed?: boolean;

  @Field(() => Int, { nullable: true })
  @Seconds()
  timeLimitSeconds?: number;

  @Field(() => RatingKept, { nullable: true })
  @OptionalNotNull()
  @IsEnum(RatingKept)
  kept?: RatingKept;
}

function IsCrmFrameUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isCrmFrameUrl',
    validator: {
      validate: (value) => typeof value === 'string' && isCrmFrameUrl(value),
      defaultMessage: (args) => `${args?.property ?? 'url'} must be an https:// address (http:// only for localhost)`,
    },
  });
}

@InputType()
export class CrmFrameSettingsInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'https (http only for localhost), at most 2,000 characters; null clears it.',
  })
  @IsOptional()
  @MaxLength(2000)
  @IsCrmFrameUrl()
  url?: string | null;

  @Field(() => [CrmParam], { nullable: true })
  @OptionalNotNull()
  @ArrayMaxSize(Object.keys(CrmParam).length)
  @ArrayUnique()
  @IsEnum(CrmParam, { each: true })
  params?: CrmParam[];

  @Field({ nullable: true, description: 'Needs a key (given now or before).' })
  @OptionalNotNull()
  @IsBoolean()
  encrypt?: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'The tenant key for `encrypt`, 8 to 128 characters; write-only. Left out, the stored key stays; null removes it.',
  })
  @IsOptional()
  @Length(8, 128)
  key?: string | null;
}

@InputType()
export class TenantSettingsInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  welcomeMessageEnabled?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @MaxLength(500)
  welcomeMessage?: string;

  @Field({ nullable: true })
  @OptionalNotNull()
  @Length(1, 40)
  dispatcherNickname?: string;

  @Field({ nullable: true, description: '1 to 20 characters.' })
  @OptionalNotNull()
  @Length(1, 20)
  @NotBlank()
  defaultAddress?: string;

  @Field(() => TransferSettingsInput, { nullable: true })
  @OptionalNotNull()
  @ValidateNested()
  transfer?: TransferSettingsInput;

  @Field(() => CapacityEditor, { nullable: true })
  @OptionalNotNull()
  @IsEnum(CapacityEditor)
  capacityEditor?: CapacityEditor;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  agentsMayJoinFromQueue?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  agentsMayViewQueuedMessages?: boolean;

  @Field(() => FamiliaritySettingsInput, { nullable: true })
  @OptionalNotNull()
  @ValidateNested()
  familiarity?: FamiliaritySettingsInput;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  assignOnlyInBusinessHours?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  agentsPageInAgentMode?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  sortByAgentLatestMessage?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  showLastMessageTime?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  cleanChatUi?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  blacklistNeedsApproval?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  statusChangeNeedsApproval?: boolean;

  @Field({ nullable: true })
  @OptionalNotNull()
  @IsBoolean()
  forceConversationTag?: boolean;

  @Field(() => NoReplySettingsInput, { nullable: true })
  @OptionalNotNull()
  @ValidateNested()
  noReply?: NoReplySettingsInput;

  @Field(() => CustomerNoReplySettingsInput, { nullable: true })
  @OptionalNotNull()
  @ValidateNested()
  customerNoReply?: CustomerNoReplySettingsInput;

  @Field(() => InactivitySettingsInput, { nullable: true })
  @OptionalNotNull()
  @ValidateNested()
  inactivity?: InactivitySettingsInput;

  @Field(() => QueueReminderSettingsInput, { nullable: true })
  @OptionalNotNull()
  @ValidateNested()
  queueReminder?: QueueReminderSettingsInput;

  @Field(() => SatisfactionSettingsInput, { nullable: true })
  @OptionalNotNull()
  @ValidateNested()
  satisfaction?: SatisfactionSettingsInput;

  @Field(() => CrmFrameSettingsInput, { nullable: true })
  @OptionalNotNull()
  @ValidateNested()
  crmFrame?: CrmFrameSettingsInput;
}
