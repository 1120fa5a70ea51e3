import type { TenantSettingsFieldsFragment, TenantSettingsInput } from '../../graphql/generated';

/** How a setting is edited. */
export type FieldKind = 'toggle' | 'seconds' | 'count' | 'text' | 'textarea' | 'select' | 'multi';

export interface FieldDef {
  /** The setting's path in `TenantSettings` (`transfer.requireConfirmation`); also its translation key. */
  path: string;
  kind: FieldKind;
  options?: readonly string[];
  min?: number;
  max?: number;
  maxLength?: number;
  /** An empty text is sent as null (clears the setting). */
  emptyIsNull?: boolean;
}

export interface SectionDef {
  id: string;
  icon: string;
  fields: readonly FieldDef[];
}

const DAY = 24 * 60 * 60;
// The API takes 1 s to 30 days for every duration unless the field says otherwise.
const seconds = (path: string, min = 1, max = 30 * DAY): FieldDef => ({ path, kind: 'seconds', min, max });
const toggle = (path: string): FieldDef => ({ path, kind: 'toggle' });
const text = (path: string, maxLength: number, kind: 'text' | 'textarea' = 'textarea'): FieldDef => ({
  path,
  kind,
  maxLength,
});

export const CRM_PARAMS = [
  'CUSTOMER_ID',
  'CUSTOMER_EXTERNAL_ID',
  'CUSTOMER_NICKNAME',
  'CONVERSATION_ID',
  'CHANNEL',
  'AGENT_ID',
  'AGENT_NICKNAME',
  'TENANT_ID',
] as const;

/** The Settings page's sections, in the manual's order (SET-1, then the CRM panel of SET-3). */
export const SECTIONS: readonly SectionDef[] = [
  {
    id: 'transfer',
    icon: 'swap_horiz',
    fields: [
      toggle('transfer.requireConfirmation'),
      seconds('transfer.confirmationTimeoutSeconds', 5, 3600),
      toggle('transfer.skipGreetings'),
    ],
  },
  {
    id: 'assignment',
    icon: 'alt_route',
    fields: [
      { path: 'capacityEditor', kind: 'select', options: ['ADMIN', 'AGENT'] },
      toggle('agentsMayJoinFromQueue'),
      toggle('agentsMayViewQueuedMessages'),
      toggle('familiarity.enabled'),
      { path: 'familiarity.mode', kind: 'select', options: ['LAST', 'MOST'] },
      toggle('assignOnlyInBusinessHours'),
    ],
  },
  {
    id: 'console',
    icon: 'view_list',
    fields: [
      toggle('agentsPageInAgentMode'),
      toggle('sortByAgentLatestMessage'),
      toggle('showLastMessageTime'),
      toggle('cleanChatUi'),
      toggle('forceConversationTag'),
    ],
  },
  {
    id: 'approvals',
    icon: 'approval',
    fields: [toggle('blacklistNeedsApproval'), toggle('statusChangeNeedsApproval')],
  },
  {
    id: 'messages',
    icon: 'waving_hand',
    fields: [
      toggle('welcomeMessageEnabled'),
      text('welcomeMessage', 500),
      text('dispatcherNickname', 40, 'text'),
      text('defaultAddress', 20, 'text'),
    ],
  },
  {
    id: 'noReply',
    icon: 'timer',
    fields: [
      toggle('noReply.enabled'),
      seconds('noReply.afterSeconds'),
      toggle('noReply.highlight'),
      toggle('noReply.remindCustomer'),
      text('noReply.reminderText', 500),
      toggle('noReply.alarm'),
      { path: 'noReply.alarmLevel', kind: 'select', options: ['INFO', 'WARNING', 'CRITICAL'] },
    ],
  },
  {
    id: 'customerNoReply',
    icon: 'hourglass_bottom',
    fields: [
      toggle('customerNoReply.enabled'),
      seconds('customerNoReply.reminderAfterSeconds'),
      text('customerNoReply.reminderText', 500),
      seconds('customerNoReply.closeAfterSeconds'),
      text('customerNoReply.closeText', 500),
    ],
  },
  {
    id: 'inactivity',
    icon: 'bedtime',
    fields: [
      toggle('inactivity.enabled'),
      seconds('inactivity.afterSeconds'),
      text('inactivity.closeText', 500),
      text('inactivity.remark', 1000),
    ],
  },
  {
    id: 'queueReminder',
    icon: 'notifications_active',
    fields: [
      toggle('queueReminder.enabled'),
      seconds('queueReminder.delaySeconds'),
      { path: 'queueReminder.repeat', kind: 'count', min: 1, max: 20 },
      seconds('queueReminder.intervalSeconds'),
      text('queueReminder.text', 500),
      toggle('queueReminder.offerNote'),
    ],
  },
  {
    id: 'satisfaction',
    icon: 'star_rate',
    fields: [
      { path: 'satisfaction.autoInviteChannels', kind: 'multi', options: ['WEB', 'APP', 'WECHAT', 'WEIBO'] },
      toggle('satisfaction.skipSingleMessage'),
      toggle('satisfaction.skipAutoClosed'),
      seconds('satisfaction.timeLimitSeconds'),
      { path: 'satisfaction.kept', kind: 'select', options: ['LAST', 'FIRST'] },
    ],
  },
  {
    id: 'crmFrame',
    icon: 'contact_page',
    fields: [
      toggle('crmFrame.enabled'),
      { path: 'crmFrame.url', kind: 'text', maxLength: 2000, emptyIsNull: true },
      { path: 'crmFrame.params', kind: 'multi', options: CRM_PARAMS },
      toggle('crmFrame.encrypt'),
    ],
  },
];

export const UNITS = [
  { id: 'seconds', factor: 1 },
  { id: 'minutes', factor: 60 },
  { id: 'hours', factor: 3600 },
  { id: 'days', factor: DAY },
] as const;
export type Unit = (typeof UNITS)[number]['id'];

/** A duration as it reads best: the largest unit it is a whole number of. */
export function splitSeconds(total: number): { amount: number; unit: Unit } {
  for (const u of [...UNITS].reverse()) {
    if (total > 0 && total % u.factor === 0) return { amount: total / u.factor, unit: u.id };
  }
  return { amount: total, unit: 'seconds' };
}

export function toSeconds(amount: number | null, unit: Unit): number | null {
  if (amount === null || !Number.isFinite(amount)) return null;
  return Math.round(amount * UNITS.find((u) => u.id === unit)!.factor);
}

/** The form's values: one entry per field path; a duration also keeps its unit under `<path>#unit`. */
export type Values = Record<string, unknown>;

function read(settings: object, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], settings);
}

/** The values of one section's fields, from the settings the API returned. */
export function sectionValues(section: SectionDef, settings: TenantSettingsFieldsFragment): Values {
  const values: Values = {};
  for (const f of section.fields) {
    const v = read(settings, f.path);
    if (f.kind === 'seconds') {
      const { amount, unit } = splitSeconds(v as number);
      values[f.path] = amount;
      values[`${f.path}#unit`] = unit;
    } else if (f.kind === 'multi') {
      values[f.path] = [...(v as string[])];
    } else {
      values[f.path] = v ?? '';
    }
  }
  return values;
}

export function allValues(settings: TenantSettingsFieldsFragment): Values {
  return Object.assign({}, ...SECTIONS.map((s) => sectionValues(s, settings))) as Values;
}

/** The mutation's input for one section: that section's fields only. */
export function sectionInput(section: SectionDef, values: Values): TenantSettingsInput {
  const input: Record<string, unknown> = {};
  for (const f of section.fields) {
    let v = values[f.path];
    if (f.kind === 'seconds') v = toSeconds(v as number | null, values[`${f.path}#unit`] as Unit);
    else if (f.kind === 'count') v = v === null || v === '' ? null : Number(v);
    else if (f.kind === 'text' || f.kind === 'textarea') {
      const s = String(v ?? '').trim();
      v = !s && f.emptyIsNull ? null : s;
    }
    const keys = f.path.split('.');
    let target = input;
    for (const k of keys.slice(0, -1)) target = (target[k] ??= {}) as Record<string, unknown>;
    target[keys.at(-1)!] = v;
  }
  return input as TenantSettingsInput;
}

/** The field the API names in a BAD_USER_INPUT error, as a path of `TenantSettings`. */
export function fieldPath(field: unknown): string | null {
  return typeof field === 'string' && field ? field.replace(/^input\./, '') : null;
}
