import { type Ref, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ServiceScope, tenantOf } from '../../platform/auth/scope';
import { AppError, raise } from '../../platform/errors/app-error';
import { ChannelAccount, type ChannelType, WidgetConfig } from '../channel/channel.entity';
import type { Customer } from '../customer/customer.entity';
import { Team } from '../team/team.entity';
import type { TenantService } from '../tenant/tenant.service';
import { type ProfileCondition, ProfileOperator, RoutingRule, RoutingRuleKind } from './routing.entity';
import { RoutingRuleErrors } from './routing-rule.errors';
import type { CreateRoutingRuleInput, ProfileConditionInput, UpdateRoutingRuleInput } from './routing-rule.inputs';
import type { PreparedSql, PreparedStatement } from '../../platform/database/prepared-sql';
import { isWorkingTime, type ScheduleLike } from './schedule';
import { TimePlan } from './time-plan.entity';

/** What the assignment engine knows when a conversation opens. */
export interface RouteInput {
  channel: ChannelType;
  channelAccountId: string | null;
  widgetId: string | null;
  /** The team the widget (entry) names, if any: used when no rule matches. */
  entryTeamId: string | null;
  customer: RouteCustomer;
  at: Date;
}

/** Where a new conversation goes, and why in words (QUE-13). A null team means every agent of the tenant. */
export interface RouteDecision {
  teamId: string | null;
  ruleId: string | null;
  ruleName: string | null;
  reason: string;
}

export const PROFILE_FIELDS = [
  'nickname',
  'realName',
  'phone',
  'qq',
  'wechat',
  'email',
  'company',
  'description',
  'vip',
  'externalId',
] as const;

type ProfileField = (typeof PROFILE_FIELDS)[number];

/** What routing reads of a customer: the profile fields its conditions name. */
export type RouteCustomer = Pick<Customer, ProfileField>;

const KIND_LABEL: Record<RoutingRuleKind, string> = {
  [RoutingRuleKind.CHANNEL]: 'channel',
  [RoutingRuleKind.CHANNEL_ACCOUNT]: 'channel account',
  [RoutingRuleKind.ENTRY]: 'entry',
  [RoutingRuleKind.CUSTOMER_PROFILE]: 'customer profile',
  [RoutingRuleKind.DEFAULT]: 'default',
};

/** The input field that carries each kind's binding. */
const BINDING = {
  channel: RoutingRuleKind.CHANNEL,
  channelAccountId: RoutingRuleKind.CHANNEL_ACCOUNT,
  widgetId: RoutingRuleKind.ENTRY,
  conditions: RoutingRuleKind.CUSTOMER_PROFILE,
} as const;

const TEXT_OPERATORS = [
  ProfileOperator.EQUALS,
  ProfileOperator.NOT_EQUALS,
  ProfileOperator.CONTAINS,
  ProfileOperator.IS_SET,
];
const VIP_OPERATORS = [ProfileOperator.IS_TRUE, ProfileOperator.EQUALS, ProfileOperator.NOT_EQUALS];

type RuleRefs = Pick<
  CreateRoutingRuleInput,
  'teamId' | 'offHoursTeamId' | 'timePlanId' | 'channelAccountId' | 'widgetId'
>;

/**
 * Routing rules (QUE-7) and the routing decision. Rules are tried by priority (1 first); the
 * DEFAULT rule, at most one per tenant, always comes last. Changes to the order run under the
 * tenant's row lock, so priorities stay 1…n with the default rule at n + 1.
 */
export class RoutingService {
  private readonly routeStatement: PreparedStatement;
  private readonly businessPlanStatement: PreparedStatement;

  constructor(
    private readonly tenants: TenantService,
    private readonly sql: PreparedSql,
  ) {
    // Prepared: both run for every conversation that opens.
    this.routeStatement = sql.statement('parley_route', ROUTE_SQL);
    this.businessPlanStatement = sql.statement('parley_business_plan', BUSINESS_PLAN_SQL);
  }

  async listRules(scope: ServiceScope): Promise<RoutingRule[]> {
    return inOrder(await scope.em.find(RoutingRule, {}, { orderBy: { priority: 'asc', id: 'asc' } }));
  }

  async getRule(scope: ServiceScope, id: string): Promise<RoutingRule> {
    const rule = await scope.em.findOne(RoutingRule, { id });
    if (!rule) throw raise(RoutingRuleErrors, 'NOT_FOUND');
    return rule;
  }

  async createRule(scope: ServiceScope, input: CreateRoutingRuleInput): Promise<RoutingRule> {
    const tenantId = tenantOf(scope);
    return scope.em.transactional(async (em) => {
      await this.tenants.lock(em, tenantId);
      const refs = await this.resolveRefs(em, input);
      onlyBindingOf(input.kind, input);
      const conditions = bindingChecked(input.kind, {
        channel: input.channel ?? null,
        channelAccount: refs.channelAccount,
        widget: refs.widget,
        conditions: input.conditions,
      });
      if (input.offHoursTeamId && !input.timePlanId) throw raise(RoutingRuleErrors, 'OFF_HOURS_NEEDS_PLAN');
      const rules = await em.find(RoutingRule, { tenant: tenantId }, { orderBy: { priority: 'asc', id: 'asc' } });
      if (input.kind === RoutingRuleKind.DEFAULT && rules.some((r) => r.kind === RoutingRuleKind.DEFAULT)) {
        throw raise(RoutingRuleErrors, 'DEFAULT_EXISTS');
      }
      const rule = em.create(RoutingRule, {
        tenant: tenantId,
        name: input.name.trim(),
        kind: input.kind,
        // After every rule there is; renumbering then puts it just before the default rule.
        priority: Math.max(0, ...rules.map((r) => r.priority)) + 1,
        enabled: input.enabled,
        channel: input.kind === RoutingRuleKind.CHANNEL ? (input.channel ?? null) : null,
        channelAccount: refs.channelAccount ? ref(refs.channelAccount) : null,
        widget: refs.widget ? ref(refs.widget) : null,
        conditions,
        timePlan: refs.timePlan ? ref(refs.timePlan) : null,
        team: ref(refs.team!),
        offHoursTeam: refs.offHoursTeam ? ref(refs.offHoursTeam) : null,
      });
      renumber(inOrder([...rules, rule]));
      await em.flush();
      return rule;
    });
  }

  async updateRule(scope: ServiceScope, id: string, input: UpdateRoutingRuleInput): Promise<RoutingRule> {
    const rule = await this.getRule(scope, id);
    const refs = await this.resolveRefs(scope.em, input);
    const kind = input.kind ?? rule.kind;
    if ((kind === RoutingRuleKind.DEFAULT) !== (rule.kind === RoutingRuleKind.DEFAULT)) {
      throw raise(RoutingRuleErrors, 'DEFAULT_KIND_FIXED');
    }
    onlyBindingOf(kind, input);
    // A binding of another kind is dropped when the kind changes.
    const keep = kind === rule.kind;
    const channelAccount =
      input.channelAccountId !== undefined ? idOf(refs.channelAccount) : keep ? idOf(rule.channelAccount) : null;
    const widget = input.widgetId !== undefined ? idOf(refs.widget) : keep ? idOf(rule.widget) : null;
    const conditions = bindingChecked(kind, {
      channel: input.channel !== undefined ? input.channel : keep ? rule.channel : null,
      channelAccount,
      widget,
      conditions: input.conditions ?? (keep ? rule.conditions : []),
    });
    const timePlan = input.timePlanId !== undefined ? idOf(refs.timePlan) : idOf(rule.timePlan);
    // Removing the plan removes the off-hours team with it, unless one is given in the same call.
    const offHoursTeam =
      input.offHoursTeamId !== undefined
        ? idOf(refs.offHoursTeam)
        : input.timePlanId === null
          ? null
          : idOf(rule.offHoursTeam);
    if (offHoursTeam && !timePlan) throw raise(RoutingRuleErrors, 'OFF_HOURS_NEEDS_PLAN');

    const em = scope.em;
    rule.kind = kind;
    if (input.name) rule.name = input.name.trim();
    if (input.enabled !== undefined) rule.enabled = input.enabled;
    rule.channel =
      kind === RoutingRuleKind.CHANNEL ? (input.channel !== undefined ? input.channel : rule.channel) : null;
    rule.channelAccount = refTo(em, ChannelAccount, channelAccount);
    rule.widget = refTo(em, WidgetConfig, widget);
    rule.conditions = conditions;
    rule.timePlan = refTo(em, TimePlan, timePlan);
    if (refs.team) rule.team = ref(refs.team);
    rule.offHoursTeam = refTo(em, Team, offHoursTeam);
    await em.flush();
    return rule;
  }

  async deleteRule(scope: ServiceScope, id: string): Promise<string> {
    const tenantId = tenantOf(scope);
    await scope.em.transactional(async (em) => {
      await this.tenants.lock(em, tenantId);
      const rules = await em.find(RoutingRule, { tenant: tenantId }, { orderBy: { priority: 'asc', id: 'asc' } });
      const rule = rules.find((r) => r.id === id);
      if (!rule) throw raise(RoutingRuleErrors, 'NOT_FOUND');
      em.remove(rule);
      renumber(inOrder(rules.filter((r) => r !== rule)));
      await em.flush();
    });
    return id;
  }

  /** Sets the order of every rule but the default one, which stays last. */
  async reorderRules(scope: ServiceScope, ids: string[]): Promise<RoutingRule[]> {
    const tenantId = tenantOf(scope);
    return scope.em.transactional(async (em) => {
      await this.tenants.lock(em, tenantId);
      const rules = await em.find(RoutingRule, { tenant: tenantId });
      const byId = new Map(rules.map((r) => [r.id, r]));
      const unknown = ids.findIndex((id) => !byId.has(id));
      if (unknown >= 0) throw raise(RoutingRuleErrors, 'NOT_FOUND');
      const ordered = ids.map((id) => byId.get(id)!);
      const fixed = ordered.findIndex((r) => r.kind === RoutingRuleKind.DEFAULT);
      if (fixed >= 0) {
        throw invalid('ORDER_INVALID', `ids.${fixed}`, 'The default rule always comes last; leave it out of the order');
      }
      const others = rules.filter((r) => r.kind !== RoutingRuleKind.DEFAULT);
      if (new Set(ids).size !== ids.length || ids.length !== others.length) {
        throw invalid(
          'ORDER_INVALID',
          'ids',
          `List each of the ${others.length} routing rules other than the default rule exactly once`,
        );
      }
      const result = [...ordered, ...rules.filter((r) => r.kind === RoutingRuleKind.DEFAULT)];
      renumber(result);
      await em.flush();
      return result;
    });
  }

  /**
   * Routes a conversation that is opening: the first enabled rule whose binding matches (the
   * default rule last) names the team, switched to its off-hours team outside the rule's time plan;
   * without a match, the entry's own team, else no team (any agent of the tenant).
   * One statement, nothing cached: rule changes apply to the next conversation.
   */
  async route(tenantId: string, input: RouteInput): Promise<RouteDecision> {
    const [decision] = await this.routeMany([{ tenantId, input }]);
    return decision!;
  }

  /**
   * Routes conversations that open together (`route` for each), reading the rules once per tenant
   * and entry team.
   */
  async routeMany(requests: readonly { tenantId: string; input: RouteInput }[]): Promise<RouteDecision[]> {
    const snapshots = new Map<string, Promise<RouteSnapshot>>();
    const snapshotOf = (tenantId: string, entryTeamId: string | null) => {
      const key = `${tenantId}:${entryTeamId ?? ''}`;
      let snapshot = snapshots.get(key);
      if (!snapshot) {
        snapshot = this.sql
          .query<RouteSnapshot>(this.routeStatement, [tenantId, tenantId, entryTeamId])
          .then(([row]) => ({ rules: sortRules(row?.rules ?? []), entry_team: row?.entry_team ?? null }));
        snapshots.set(key, snapshot);
      }
      return snapshot;
    };
    return Promise.all(
      requests.map(async ({ tenantId, input }) => decideRoute(await snapshotOf(tenantId, input.entryTeamId), input)),
    );
  }

  /**
   * Whether a team is in business hours (QUE-10): the team's time plan, else the tenant's default
   * plan; with no plan at all, always. A null team (every agent of the tenant) uses the default plan.
   */
  async businessHoursOpen(tenantId: string, teamId: string | null, at: Date): Promise<boolean> {
    // One statement: the assignment engine asks on every dispatch.
    const [row] = await this.sql.query<{ plan: ScheduleLike | null }>(this.businessPlanStatement, [
      tenantId,
      teamId,
      tenantId,
    ]);
    return row?.plan ? isWorkingTime(row.plan, at) : true;
  }

  /** Loads every id the input names, each NOT_FOUND unless it is the tenant's. */
  private async resolveRefs(
    em: EntityManager,
    input: Partial<RuleRefs>,
  ): Promise<{
    team: Team | null;
    offHoursTeam: Team | null;
    timePlan: TimePlan | null;
    channelAccount: ChannelAccount | null;
    widget: WidgetConfig | null;
  }> {
    const load = async <T extends object>(
      entity: new () => T,
      id: string | null | undefined,
      error: keyof typeof RoutingRuleErrors,
    ): Promise<T | null> => {
      if (!id) return null;
      const found = await em.findOne(entity, { id } as never);
      if (!found) throw raise(RoutingRuleErrors, error);
      return found as T;
    };
    return {
      team: await load(Team, input.teamId, 'TEAM_NOT_FOUND'),
      offHoursTeam: await load(Team, input.offHoursTeamId, 'OFF_HOURS_TEAM_NOT_FOUND'),
      timePlan: await load(TimePlan, input.timePlanId, 'TIME_PLAN_NOT_FOUND'),
      channelAccount: await load(ChannelAccount, input.channelAccountId, 'CHANNEL_ACCOUNT_NOT_FOUND'),
      widget: await load(WidgetConfig, input.widgetId, 'WIDGET_NOT_FOUND'),
    };
  }
}

/** Rules in the order they are tried: by priority, the default rule last. */
function inOrder<T extends RoutingRule>(rules: T[]): T[] {
  const last = (r: RoutingRule) => (r.kind === RoutingRuleKind.DEFAULT ? 1 : 0);
  return [...rules].sort((a, b) => last(a) - last(b) || a.priority - b.priority || a.id.localeCompare(b.id));
}

/** Priorities 1…n in the given order (which has the default rule last). */
function renumber(ordered: RoutingRule[]): void {
  ordered.forEach((r, i) => {
    if (r.priority !== i + 1) r.priority = i + 1;
  });
}

/** The tenant's enabled rules with their teams and plans, and the entry team's name, in one row. */
const ROUTE_SQL = `
select coalesce((
  select json_agg(json_build_object(
           'id', r.id, 'name', r.name, 'kind', r.kind, 'priority', r.priority, 'channel', r.channel,
           'channel_account_id', r.channel_account_id, 'widget_id', r.widget_id, 'conditions', r.conditions,
           'team_id', t.id, 'team_name', t.name, 'off_team_id', o.id, 'off_team_name', o.name,
           'plan', case when p.id is null then null else json_build_object(
             'name', p.name, 'timezone', p.timezone, 'weekly', p.weekly, 'holidays', p.holidays, 'workdays', p.workdays) end))
    from routing_rule r
    join team t on t.id = r.team_id
    left join team o on o.id = r.off_hours_team_id
    left join time_plan p on p.id = r.time_plan_id
   where r.tenant_id = ? and r.enabled), '[]'::json) as rules,
  (select name from team where tenant_id = ? and id = ?::uuid) as entry_team`;

/** The team's time plan, else the tenant's default plan (null when there is none). */
const BUSINESS_PLAN_SQL = `
select coalesce(
  (select json_build_object('timezone', p.timezone, 'weekly', p.weekly, 'holidays', p.holidays, 'workdays', p.workdays)
     from team t join time_plan p on p.id = t.time_plan_id where t.tenant_id = ? and t.id = ?::uuid),
  (select json_build_object('timezone', p.timezone, 'weekly', p.weekly, 'holidays', p.holidays, 'workdays', p.workdays)
     from time_plan p where p.tenant_id = ? and p.is_default limit 1)) as plan`;

/** A rule as `route` reads it. */
interface RuleRow {
  id: string;
  name: string;
  kind: RoutingRuleKind;
  priority: number;
  channel: ChannelType | null;
  channel_account_id: string | null;
  widget_id: string | null;
  conditions: ProfileCondition[];
  team_id: string;
  team_name: string;
  off_team_id: string | null;
  off_team_name: string | null;
  plan: (ScheduleLike & { name: string }) | null;
}

/** The tenant's enabled rules (in the order they are tried) and the entry team's name. */
interface RouteSnapshot {
  rules: RuleRow[];
  entry_team: string | null;
}

function sortRules(rules: RuleRow[]): RuleRow[] {
  return [...rules].sort(
    (a, b) =>
      Number(a.kind === RoutingRuleKind.DEFAULT) - Number(b.kind === RoutingRuleKind.DEFAULT) ||
      a.priority - b.priority ||
      a.id.localeCompare(b.id),
  );
}

function decideRoute(snapshot: RouteSnapshot, input: RouteInput): RouteDecision {
  const rule = snapshot.rules.find((r) => rowMatches(r, input));
  if (rule) {
    const head = `Rule “${rule.name}” (${KIND_LABEL[rule.kind]}) matched`;
    const decide = (teamId: string, why: string) => ({ teamId, ruleId: rule.id, ruleName: rule.name, reason: why });
    if (!rule.plan) return decide(rule.team_id, `${head}, so routed to team ${rule.team_name}`);
    if (isWorkingTime(rule.plan, input.at)) {
      return decide(
        rule.team_id,
        `${head}; within work hours of “${rule.plan.name}”, so routed to team ${rule.team_name}`,
      );
    }
    return rule.off_team_id
      ? decide(
          rule.off_team_id,
          `${head}; outside work hours of “${rule.plan.name}”, so routed to team ${rule.off_team_name}`,
        )
      : decide(
          rule.team_id,
          `${head}; outside work hours of “${rule.plan.name}”, and it names no off-hours team, so routed to team ${rule.team_name}`,
        );
  }
  if (input.entryTeamId && snapshot.entry_team) {
    return {
      teamId: input.entryTeamId,
      ruleId: null,
      ruleName: null,
      reason: `No routing rule matched; the entry names team ${snapshot.entry_team}`,
    };
  }
  return {
    teamId: null,
    ruleId: null,
    ruleName: null,
    reason: 'No routing rule matched; any agent of the company may serve it',
  };
}

function rowMatches(rule: RuleRow, input: RouteInput): boolean {
  switch (rule.kind) {
    case RoutingRuleKind.CHANNEL:
      return rule.channel === input.channel;
    case RoutingRuleKind.CHANNEL_ACCOUNT:
      return !!rule.channel_account_id && rule.channel_account_id === input.channelAccountId;
    case RoutingRuleKind.ENTRY:
      return !!rule.widget_id && rule.widget_id === input.widgetId;
    case RoutingRuleKind.CUSTOMER_PROFILE:
      return rule.conditions.length > 0 && rule.conditions.every((c) => holds(c, input.customer));
    case RoutingRuleKind.DEFAULT:
      return true;
  }
}

/** One profile condition against a customer; text compares without regard to case or surrounding spaces. */
export function holds(condition: ProfileCondition, customer: RouteCustomer): boolean {
  const field = condition.field as ProfileField;
  if (field === 'vip') {
    const wanted = condition.value === 'true';
    switch (condition.operator) {
      case ProfileOperator.IS_TRUE:
        return customer.vip;
      case ProfileOperator.EQUALS:
        return customer.vip === wanted;
      case ProfileOperator.NOT_EQUALS:
        return customer.vip !== wanted;
      case ProfileOperator.CONTAINS:
      case ProfileOperator.IS_SET:
        return false; // refused for vip when the rule is saved
    }
  }
  if (!(PROFILE_FIELDS as readonly string[]).includes(field)) return false;
  const actual = (customer[field] ?? '').trim().toLowerCase();
  const value = (condition.value ?? '').trim().toLowerCase();
  switch (condition.operator) {
    case ProfileOperator.IS_SET:
      return actual !== '';
    case ProfileOperator.EQUALS:
      return actual === value;
    case ProfileOperator.NOT_EQUALS:
      return actual !== value;
    case ProfileOperator.CONTAINS:
      return actual.includes(value);
    case ProfileOperator.IS_TRUE:
      return false;
  }
}

/** Refuses a binding given for another kind (a channel on an entry rule, say). */
function onlyBindingOf(kind: RoutingRuleKind, input: Partial<CreateRoutingRuleInput>): void {
  for (const [field, owner] of Object.entries(BINDING) as [keyof typeof BINDING, RoutingRuleKind][]) {
    const value = input[field];
    const given = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
    if (given && owner !== kind) {
      throw invalid(
        'FIELD_NOT_FOR_KIND',
        field,
        `${field} applies only to ${KIND_LABEL[owner]} rules, not to ${KIND_LABEL[kind]} rules`,
      );
    }
  }
}

/** Checks that the kind's binding is there; returns the conditions to store (none but for profile rules). */
function bindingChecked(
  kind: RoutingRuleKind,
  binding: {
    channel: ChannelType | null;
    channelAccount: unknown;
    widget: unknown;
    conditions: (ProfileCondition | ProfileConditionInput)[];
  },
): ProfileCondition[] {
  switch (kind) {
    case RoutingRuleKind.CHANNEL:
      if (!binding.channel) throw raise(RoutingRuleErrors, 'CHANNEL_REQUIRED');
      return [];
    case RoutingRuleKind.CHANNEL_ACCOUNT:
      if (!binding.channelAccount) throw raise(RoutingRuleErrors, 'CHANNEL_ACCOUNT_REQUIRED');
      return [];
    case RoutingRuleKind.ENTRY:
      if (!binding.widget) throw raise(RoutingRuleErrors, 'WIDGET_REQUIRED');
      return [];
    case RoutingRuleKind.CUSTOMER_PROFILE:
      if (!binding.conditions.length) throw raise(RoutingRuleErrors, 'CONDITIONS_REQUIRED');
      return binding.conditions.map(conditionChecked);
    case RoutingRuleKind.DEFAULT:
      return [];
  }
}

function conditionChecked(c: ProfileCondition | ProfileConditionInput, i: number): ProfileCondition {
  const at = `conditions.${i}`;
  if (!(PROFILE_FIELDS as readonly string[]).includes(c.field)) {
    throw invalid('INVALID_CONDITION', `${at}.field`, `${at}.field must be one of ${PROFILE_FIELDS.join(', ')}`);
  }
  const field = c.field as ProfileField;
  const allowed = field === 'vip' ? VIP_OPERATORS : TEXT_OPERATORS;
  if (!allowed.includes(c.operator)) {
    throw invalid(
      'INVALID_CONDITION',
      `${at}.operator`,
      `${at}.operator ${c.operator} does not apply to ${field}; use ${allowed.join(', ')}`,
    );
  }
  if (c.operator === ProfileOperator.IS_SET || c.operator === ProfileOperator.IS_TRUE) {
    return { field, operator: c.operator, value: null };
  }
  const value = c.value?.trim() ?? '';
  if (!value) throw invalid('INVALID_CONDITION', `${at}.value`, `${at}.value is required for ${c.operator}`);
  if (field === 'vip') {
    const flag = value.toLowerCase();
    if (flag !== 'true' && flag !== 'false') {
      throw invalid('INVALID_CONDITION', `${at}.value`, `${at}.value must be true or false for vip`);
    }
    return { field, operator: c.operator, value: flag };
  }
  return { field, operator: c.operator, value };
}

function refTo<T extends { id: string }>(em: EntityManager, entity: new () => T, id: string | null): Ref<T> | null {
  return id ? em.getReference<T>(entity, id as never, { wrapped: true }) : null;
}

function idOf(entity: { id: string } | null | undefined): string | null {
  return entity?.id ?? null;
}

function invalid(key: keyof typeof RoutingRuleErrors, field: string, message: string): AppError {
  return new AppError(RoutingRuleErrors[key].code, message, { reason: key, field });
}
