import { randomBytes } from 'node:crypto';
import { ChannelAccount, ChannelType, WidgetConfig } from '../../../src/modules/channel/channel.entity';
import { Customer } from '../../../src/modules/customer/customer.entity';
import { ProfileOperator, RoutingRuleKind } from '../../../src/modules/routing/routing.entity';
import type { RouteInput } from '../../../src/modules/routing/routing.service';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { sqlCounter } from '../../../src/platform/database/sql-counter';
import { Page } from '../../../src/platform/auth/pages';
import { createRole, createTeam, createTenant, createUser, type TenantFixture } from '../../factories';
import {
  type CreateRoutingRuleInput,
  CreateRoutingRuleDocument,
  type CreateTimePlanInput,
  CreateTimePlanDocument,
  DeleteRoutingRuleDocument,
  DeleteTimePlanDocument,
  ReorderRoutingRulesDocument,
  RoutingRuleDocument,
  RoutingRulesDocument,
  SetDefaultTimePlanDocument,
  SetTeamTimePlanDocument,
  TeamTimePlanDocument,
  TimePlanDocument,
  TimePlansDocument,
  UpdateRoutingRuleDocument,
  UpdateTimePlanDocument,
} from '../../graphql/generated';
import { codeOf, type GraphQLResponse, startTestApp, type TestApp } from '../../support/test-app';

const unique = () => randomBytes(4).toString('hex');

const officeHours = (extra: Partial<CreateTimePlanInput> = {}): CreateTimePlanInput => ({
  name: `Office hours ${unique()}`,
  timezone: 'Asia/Shanghai',
  weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, ranges: [{ start: '09:00', end: '18:00' }] })),
  ...extra,
});

// Wednesday 11 March 2026 in Shanghai: 09:30 (open) and, the evening before in UTC, 07:30 (closed).
const WORK_TIME = new Date('2026-03-11T01:30:00Z');
const OFF_TIME = new Date('2026-03-10T23:30:00Z');

const problem = (res: GraphQLResponse<unknown>) => {
  const ext = res.errors?.[0]?.extensions ?? {};
  return { code: ext.code, field: ext.field, reason: ext.reason };
};

describe('time plans (QUE-8) and routing rules (QUE-7)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DEBUG_SQL_COUNT: 'true' });
  });
  afterAll(() => t.stop());

  /** A tenant of its own, so that default plans and rule order start empty. */
  const fresh = async () => {
    const tenant = await createTenant(t);
    return { tenant, admin: tenant.admin.token };
  };
  const newPlan = async (admin: string, extra: Partial<CreateTimePlanInput> = {}) =>
    (await t.ok(CreateTimePlanDocument, { input: officeHours(extra) }, admin)).createTimePlan;
  const newRule = async (admin: string, input: CreateRoutingRuleInput) =>
    (await t.ok(CreateRoutingRuleDocument, { input }, admin)).createRoutingRule;
  const plans = async (admin: string) => (await t.ok(TimePlansDocument, {}, admin)).timePlans;
  const rules = async (admin: string) => (await t.ok(RoutingRulesDocument, {}, admin)).routingRules;

  const newWidget = async (tenant: TenantFixture, entryTeamId: string | null = null) => {
    const em = systemFork(t.orm.em);
    const widget = em.create(WidgetConfig, {
      tenant: tenant.tenantId,
      name: `Site ${unique()}`,
      publicKey: `wk_${unique()}${unique()}`,
      identitySecret: unique(),
      ...(entryTeamId ? { entryTeam: entryTeamId } : {}),
    });
    await em.flush();
    return widget.id;
  };
  const newAccount = async (tenant: TenantFixture, channel = ChannelType.APP) => {
    const em = systemFork(t.orm.em);
    const account = em.create(ChannelAccount, { tenant: tenant.tenantId, channel, name: `Account ${unique()}` });
    await em.flush();
    return account.id;
  };
  const newCustomer = async (tenant: TenantFixture, profile: Partial<Customer> = {}) => {
    const em = systemFork(t.orm.em);
    const customer = em.create(Customer, { tenant: tenant.tenantId, externalId: `c-${unique()}`, ...profile });
    await em.flush();
    return customer;
  };

  describe('time plans', () => {
    it('makes the first plan the default, stores a canonical schedule, lists by name and updates', async () => {
      const { admin } = await fresh();
      const office = await newPlan(admin, {
        name: 'Office hours',
        timezone: 'asia/shanghai',
        weekly: [
          { weekday: 5, ranges: [{ start: '09:00', end: '17:00' }] },
          {
            weekday: 1,
            ranges: [
              { start: '13:00', end: '18:00' },
              { start: '09:00', end: '12:00' },
            ],
          },
        ],
        holidays: ['2026-10-02', '2026-10-01'],
        workdays: [{ date: '2026-10-10', ranges: [{ start: '09:00', end: '18:00' }] }],
      });
      expect(office).toMatchObject({
        name: 'Office hours',
        timezone: 'Asia/Shanghai',
        isDefault: true,
        weekly: [
          {
            weekday: 1,
            ranges: [
              { start: '09:00', end: '12:00' },
              { start: '13:00', end: '18:00' },
            ],
          },
          { weekday: 5, ranges: [{ start: '09:00', end: '17:00' }] },
        ],
        holidays: ['2026-10-01', '2026-10-02'],
        workdays: [{ date: '2026-10-10', ranges: [{ start: '09:00', end: '18:00' }] }],
      });
      const always = await newPlan(admin, {
        name: 'Around the clock',
        timezone: 'UTC',
        weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, ranges: [{ start: '00:00', end: '24:00' }] })),
      });
      expect(always.isDefault).toBe(false);
      expect((await plans(admin)).map((p) => [p.name, p.isDefault])).toEqual([
        ['Around the clock', false],
        ['Office hours', true],
      ]);

      const updated = await t.ok(
        UpdateTimePlanDocument,
        { id: office.id, input: { name: '  Office  ', holidays: ['2026-05-01'] } },
        admin,
      );
      expect(updated.updateTimePlan).toMatchObject({
        name: 'Office',
        timezone: 'Asia/Shanghai',
        holidays: ['2026-05-01'],
        isDefault: true,
      });
      expect(updated.updateTimePlan.weekly).toEqual(office.weekly);
    });

    it("answers whether a moment is working time, on the plan's own clock", async () => {
      const { admin } = await fresh();
      const plan = await newPlan(admin, { holidays: ['2026-10-01'] });
      const isOpen = async (at: Date) =>
        (await t.ok(TimePlanDocument, { id: plan.id, at: at.toISOString() }, admin)).timePlan.isOpen;
      expect(await isOpen(WORK_TIME)).toBe(true);
      expect(await isOpen(OFF_TIME)).toBe(false);
      expect(await isOpen(new Date('2026-10-01T02:00:00Z'))).toBe(false); // a Thursday, but a holiday
      expect(await isOpen(new Date('2026-10-02T02:00:00Z'))).toBe(true);
    });

    it('moves the default with setDefaultTimePlan, isDefault on update or on create; never two, never none', async () => {
      const { admin } = await fresh();
      const a = await newPlan(admin, { name: 'A' });
      const b = await newPlan(admin, { name: 'B' });
      const defaults = async () => (await plans(admin)).filter((p) => p.isDefault).map((p) => p.name);
      expect(await defaults()).toEqual(['A']);

      expect((await t.ok(SetDefaultTimePlanDocument, { id: b.id }, admin)).setDefaultTimePlan.isDefault).toBe(true);
      expect(await defaults()).toEqual(['B']);
      await t.ok(UpdateTimePlanDocument, { id: a.id, input: { isDefault: true } }, admin);
      expect(await defaults()).toEqual(['A']);
      await newPlan(admin, { name: 'C', isDefault: true });
      expect(await defaults()).toEqual(['C']);

      const unset = await t.gql(UpdateTimePlanDocument, { id: a.id, input: { isDefault: false } }, admin);
      expect(problem(unset)).toEqual({ code: 'BAD_USER_INPUT', field: 'isDefault', reason: 'DEFAULT_REQUIRED' });
      expect(await defaults()).toEqual(['C']);
    });

    it('has exactly one default when several plans are created at once', async () => {
      const { admin } = await fresh();
      await Promise.all(Array.from({ length: 30 }, (_, i) => newPlan(admin, { name: `Plan ${i}`, isDefault: true })));
      const all = await plans(admin);
      expect(all).toHaveLength(30);
      expect(all.filter((p) => p.isDefault)).toHaveLength(1);
    });

    it('refuses to delete the default plan while others exist (CONFLICT), and deletes it when it is the last', async () => {
      const { admin } = await fresh();
      const first = await newPlan(admin);
      const second = await newPlan(admin);
      const refused = await t.gql(DeleteTimePlanDocument, { id: first.id }, admin);
      expect(problem(refused)).toMatchObject({ code: 'CONFLICT', reason: 'DEFAULT_PLAN_IN_USE' });
      expect(refused.errors?.[0]?.message).toMatch(/make another plan the default first/);

      expect((await t.ok(DeleteTimePlanDocument, { id: second.id }, admin)).deleteTimePlan).toBe(second.id);
      expect((await t.ok(DeleteTimePlanDocument, { id: first.id }, admin)).deleteTimePlan).toBe(first.id);
      expect(await plans(admin)).toEqual([]);
      expect(codeOf(await t.gql(TimePlanDocument, { id: first.id }, admin))).toBe('NOT_FOUND');
      // With no plan left, the next one is the default again.
      expect((await newPlan(admin)).isDefault).toBe(true);
    });

    it('keeps plan names unique per tenant (CONFLICT naming the field); another tenant may reuse one', async () => {
      const { admin } = await fresh();
      const { admin: otherAdmin } = await fresh();
      await newPlan(admin, { name: 'Support hours' });
      const again = await t.gql(CreateTimePlanDocument, { input: officeHours({ name: ' Support hours ' }) }, admin);
      expect(problem(again)).toEqual({ code: 'CONFLICT', field: 'name', reason: 'NAME_TAKEN' });
      expect(again.errors?.[0]?.message).toBe('A time plan with this name already exists');
      const other = await newPlan(admin, { name: 'Night' });
      const rename = await t.gql(UpdateTimePlanDocument, { id: other.id, input: { name: 'Support hours' } }, admin);
      expect(codeOf(rename)).toBe('CONFLICT');
      expect((await newPlan(otherAdmin, { name: 'Support hours' })).name).toBe('Support hours');
    });

    it.each<[string, Partial<CreateTimePlanInput>, string, string]>([
      ['an unknown time zone', { timezone: 'Mars/Base' }, 'timezone', 'INVALID_TIMEZONE'],
      ['a bare offset', { timezone: '+08:00' }, 'timezone', 'INVALID_TIMEZONE'],
      [
        'a malformed time',
        { weekly: [{ weekday: 1, ranges: [{ start: '9:00', end: '18:00' }] }] },
        'weekly.0.ranges.0.start',
        'INVALID_TIME',
      ],
      [
        'an end before the start',
        { weekly: [{ weekday: 1, ranges: [{ start: '18:00', end: '09:00' }] }] },
        'weekly.0.ranges.0',
        'EMPTY_RANGE',
      ],
      [
        'overlapping ranges',
        {
          weekly: [
            {
              weekday: 2,
              ranges: [
                { start: '09:00', end: '13:00' },
                { start: '12:00', end: '18:00' },
              ],
            },
          ],
        },
        'weekly.0.ranges.1',
        'OVERLAPPING_RANGES',
      ],
      ['weekday 8', { weekly: [{ weekday: 8, ranges: [] }] }, 'weekly.0.weekday', 'INVALID_WEEKDAY'],
      [
        'a weekday twice',
        {
          weekly: [
            { weekday: 3, ranges: [] },
            { weekday: 3, ranges: [] },
          ],
        },
        'weekly.1.weekday',
        'DUPLICATE_WEEKDAY',
      ],
      ['an impossible holiday', { holidays: ['2026-02-30'] }, 'holidays.0', 'INVALID_DATE'],
      [
        'a day that is both holiday and workday',
        { holidays: ['2026-10-10'], workdays: [{ date: '2026-10-10', ranges: [{ start: '09:00', end: '12:00' }] }] },
        'workdays.0.date',
        'HOLIDAY_AND_WORKDAY',
      ],
      ['a workday without hours', { workdays: [{ date: '2026-10-10', ranges: [] }] }, 'workdays.0.ranges', 'NO_RANGES'],
    ])('refuses %s with BAD_USER_INPUT naming the field', async (_what, change, field, reason) => {
      const { admin } = await fresh();
      const res = await t.gql(CreateTimePlanDocument, { input: officeHours(change) }, admin);
      expect(problem(res)).toEqual({ code: 'BAD_USER_INPUT', field, reason });
      expect(res.errors?.[0]?.message).toContain(field);
      // The same check guards an update, which then changes nothing.
      const plan = await newPlan(admin);
      const update = await t.gql(UpdateTimePlanDocument, { id: plan.id, input: change }, admin);
      expect(problem(update)).toEqual({ code: 'BAD_USER_INPUT', field, reason });
      expect((await t.ok(TimePlanDocument, { id: plan.id }, admin)).timePlan).toMatchObject({
        timezone: plan.timezone,
        weekly: plan.weekly,
        holidays: plan.holidays,
      });
    });

    it('refuses a blank name with BAD_USER_INPUT', async () => {
      const { admin } = await fresh();
      const res = await t.gql(CreateTimePlanDocument, { input: officeHours({ name: '   ' }) }, admin);
      expect(problem(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    });

    it('binds a plan to a team, unbinds it, and unbinds it when the plan is deleted', async () => {
      const { tenant, admin } = await fresh();
      const teamId = await createTeam(t, tenant, 'Support');
      await newPlan(admin, { name: 'Default' });
      const night = await newPlan(admin, { name: 'Night' });
      const bound = await t.ok(SetTeamTimePlanDocument, { teamId, timePlanId: night.id }, admin);
      expect(bound.setTeamTimePlan).toEqual({ id: teamId, name: 'Support', timePlan: { id: night.id, name: 'Night' } });
      expect((await t.ok(TeamTimePlanDocument, { id: teamId }, admin)).team.timePlan).toMatchObject({ id: night.id });

      const cleared = await t.ok(SetTeamTimePlanDocument, { teamId, timePlanId: null }, admin);
      expect(cleared.setTeamTimePlan.timePlan).toBeNull();

      await t.ok(SetTeamTimePlanDocument, { teamId, timePlanId: night.id }, admin);
      await t.ok(DeleteTimePlanDocument, { id: night.id }, admin);
      expect((await t.ok(TeamTimePlanDocument, { id: teamId }, admin)).team.timePlan).toBeNull();
    });
  });

  describe('routing rules', () => {
    it('creates rules of every kind and lists them in the order they are tried, the default rule last', async () => {
      const { tenant, admin } = await fresh();
      const [support, vip, night] = await Promise.all(
        ['Support', 'VIP desk', 'Night shift'].map((n) => createTeam(t, tenant, n)),
      );
      const widgetId = await newWidget(tenant);
      const accountId = await newAccount(tenant);
      const plan = await newPlan(admin, { name: 'Office hours' });

      const fallback = await newRule(admin, { name: 'Everyone else', kind: RoutingRuleKind.DEFAULT, teamId: support! });
      const channel = await newRule(admin, {
        name: 'App users',
        kind: RoutingRuleKind.CHANNEL,
        channel: ChannelType.APP,
        teamId: support!,
      });
      const account = await newRule(admin, {
        name: 'Shop app',
        kind: RoutingRuleKind.CHANNEL_ACCOUNT,
        channelAccountId: accountId,
        teamId: support!,
      });
      const entry = await newRule(admin, {
        name: 'Pricing page',
        kind: RoutingRuleKind.ENTRY,
        widgetId,
        teamId: support!,
        enabled: false,
      });
      const profile = await newRule(admin, {
        name: 'VIP customers',
        kind: RoutingRuleKind.CUSTOMER_PROFILE,
        conditions: [
          { field: 'vip', operator: ProfileOperator.IS_TRUE, value: 'ignored' },
          { field: 'company', operator: ProfileOperator.CONTAINS, value: ' Acme ' },
        ],
        teamId: vip!,
        timePlanId: plan.id,
        offHoursTeamId: night!,
      });

      expect(channel).toMatchObject({
        kind: 'CHANNEL',
        channel: 'APP',
        channelAccount: null,
        widget: null,
        conditions: [],
      });
      expect(account.channelAccount).toMatchObject({ id: accountId });
      expect(entry).toMatchObject({ enabled: false, widget: { id: widgetId, channel: 'WEB' } });
      expect(profile).toMatchObject({
        conditions: [
          { field: 'vip', operator: 'IS_TRUE', value: null },
          { field: 'company', operator: 'CONTAINS', value: 'Acme' },
        ],
        team: { id: vip, name: 'VIP desk' },
        timePlan: { id: plan.id, name: 'Office hours' },
        offHoursTeam: { id: night, name: 'Night shift' },
      });
      expect(fallback).toMatchObject({ kind: 'DEFAULT', team: { id: support } });

      expect((await rules(admin)).map((r) => [r.name, r.priority])).toEqual([
        ['App users', 1],
        ['Shop app', 2],
        ['Pricing page', 3],
        ['VIP customers', 4],
        ['Everyone else', 5],
      ]);
      expect((await t.ok(RoutingRuleDocument, { id: entry.id }, admin)).routingRule.name).toBe('Pricing page');
    });

    it.each<[string, Partial<CreateRoutingRuleInput>, { code: string; field: string; reason: string }]>([
      [
        'a channel rule without a channel',
        { kind: RoutingRuleKind.CHANNEL },
        { code: 'BAD_USER_INPUT', field: 'channel', reason: 'CHANNEL_REQUIRED' },
      ],
      [
        'a channel-account rule without an account',
        { kind: RoutingRuleKind.CHANNEL_ACCOUNT },
        { code: 'BAD_USER_INPUT', field: 'channelAccountId', reason: 'CHANNEL_ACCOUNT_REQUIRED' },
      ],
      [
        'an entry rule without a widget',
        { kind: RoutingRuleKind.ENTRY },
        { code: 'BAD_USER_INPUT', field: 'widgetId', reason: 'WIDGET_REQUIRED' },
      ],
      [
        'a profile rule without conditions',
        { kind: RoutingRuleKind.CUSTOMER_PROFILE },
        { code: 'BAD_USER_INPUT', field: 'conditions', reason: 'CONDITIONS_REQUIRED' },
      ],
      [
        'a condition on an unknown field',
        {
          kind: RoutingRuleKind.CUSTOMER_PROFILE,
          conditions: [{ field: 'age', operator: ProfileOperator.EQUALS, value: '3' }],
        },
        { code: 'BAD_USER_INPUT', field: 'conditions.0.field', reason: 'INVALID_CONDITION' },
      ],
      [
        'IS_TRUE on a text field',
        { kind: RoutingRuleKind.CUSTOMER_PROFILE, conditions: [{ field: 'email', operator: ProfileOperator.IS_TRUE }] },
        { code: 'BAD_USER_INPUT', field: 'conditions.0.operator', reason: 'INVALID_CONDITION' },
      ],
      [
        'CONTAINS on vip',
        {
          kind: RoutingRuleKind.CUSTOMER_PROFILE,
          conditions: [{ field: 'vip', operator: ProfileOperator.CONTAINS, value: 'x' }],
        },
        { code: 'BAD_USER_INPUT', field: 'conditions.0.operator', reason: 'INVALID_CONDITION' },
      ],
      [
        'EQUALS without a value',
        {
          kind: RoutingRuleKind.CUSTOMER_PROFILE,
          conditions: [
            { field: 'phone', operator: ProfileOperator.IS_SET },
            { field: 'company', operator: ProfileOperator.EQUALS, value: '  ' },
          ],
        },
        { code: 'BAD_USER_INPUT', field: 'conditions.1.value', reason: 'INVALID_CONDITION' },
      ],
      [
        'vip compared with something other than true or false',
        {
          kind: RoutingRuleKind.CUSTOMER_PROFILE,
          conditions: [{ field: 'vip', operator: ProfileOperator.EQUALS, value: 'yes' }],
        },
        { code: 'BAD_USER_INPUT', field: 'conditions.0.value', reason: 'INVALID_CONDITION' },
      ],
      [
        'a binding of another kind (a channel on a default rule)',
        { kind: RoutingRuleKind.DEFAULT, channel: ChannelType.WEB },
        { code: 'BAD_USER_INPUT', field: 'channel', reason: 'FIELD_NOT_FOR_KIND' },
      ],
      [
        'conditions on a channel rule',
        {
          kind: RoutingRuleKind.CHANNEL,
          channel: ChannelType.WEB,
          conditions: [{ field: 'vip', operator: ProfileOperator.IS_TRUE }],
        },
        { code: 'BAD_USER_INPUT', field: 'conditions', reason: 'FIELD_NOT_FOR_KIND' },
      ],
    ])('refuses %s', async (_what, change, expected) => {
      const { tenant, admin } = await fresh();
      const teamId = await createTeam(t, tenant);
      const res = await t.gql(
        CreateRoutingRuleDocument,
        { input: { name: 'Rule', kind: RoutingRuleKind.DEFAULT, teamId, ...change } },
        admin,
      );
      expect(problem(res)).toEqual(expected);
      expect(await rules(admin)).toEqual([]);
    });

    it('allows an off-hours team only together with a time plan', async () => {
      const { tenant, admin } = await fresh();
      const [day, night] = [await createTeam(t, tenant), await createTeam(t, tenant)];
      const input = { name: 'Web', kind: RoutingRuleKind.CHANNEL, channel: ChannelType.WEB, teamId: day };
      const res = await t.gql(CreateRoutingRuleDocument, { input: { ...input, offHoursTeamId: night } }, admin);
      expect(problem(res)).toEqual({ code: 'BAD_USER_INPUT', field: 'offHoursTeamId', reason: 'OFF_HOURS_NEEDS_PLAN' });

      const plan = await newPlan(admin);
      const rule = await newRule(admin, { ...input, timePlanId: plan.id, offHoursTeamId: night });
      // Removing the plan removes the off-hours team with it.
      const unplanned = await t.ok(UpdateRoutingRuleDocument, { id: rule.id, input: { timePlanId: null } }, admin);
      expect(unplanned.updateRoutingRule).toMatchObject({ timePlan: null, offHoursTeam: null, team: { id: day } });
      const again = await t.gql(UpdateRoutingRuleDocument, { id: rule.id, input: { offHoursTeamId: night } }, admin);
      expect(problem(again)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'offHoursTeamId' });
    });

    it('keeps one default rule per tenant (CONFLICT) and no rule can become or stop being it', async () => {
      const { tenant, admin } = await fresh();
      const teamId = await createTeam(t, tenant);
      const fallback = await newRule(admin, { name: 'Default', kind: RoutingRuleKind.DEFAULT, teamId });
      const second = await t.gql(
        CreateRoutingRuleDocument,
        { input: { name: 'Another', kind: RoutingRuleKind.DEFAULT, teamId } },
        admin,
      );
      expect(problem(second)).toEqual({ code: 'CONFLICT', field: 'kind', reason: 'DEFAULT_EXISTS' });

      const web = await newRule(admin, {
        name: 'Web',
        kind: RoutingRuleKind.CHANNEL,
        channel: ChannelType.WEB,
        teamId,
      });
      const promote = await t.gql(
        UpdateRoutingRuleDocument,
        { id: web.id, input: { kind: RoutingRuleKind.DEFAULT } },
        admin,
      );
      expect(problem(promote)).toEqual({ code: 'BAD_USER_INPUT', field: 'kind', reason: 'DEFAULT_KIND_FIXED' });
      const demote = await t.gql(
        UpdateRoutingRuleDocument,
        { id: fallback.id, input: { kind: RoutingRuleKind.CHANNEL, channel: ChannelType.WEB } },
        admin,
      );
      expect(problem(demote)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DEFAULT_KIND_FIXED' });

      // After deleting it, a new default rule may be created, and it goes last.
      await t.ok(DeleteRoutingRuleDocument, { id: fallback.id }, admin);
      await newRule(admin, { name: 'New default', kind: RoutingRuleKind.DEFAULT, teamId });
      await newRule(admin, { name: 'App', kind: RoutingRuleKind.CHANNEL, channel: ChannelType.APP, teamId });
      expect((await rules(admin)).map((r) => [r.name, r.priority])).toEqual([
        ['Web', 1],
        ['App', 2],
        ['New default', 3],
      ]);
    });

    it('keeps priorities 1…n and one default rule when rules are created at once', async () => {
      const { tenant, admin } = await fresh();
      const teamId = await createTeam(t, tenant);
      const defaults = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          t.gql(
            CreateRoutingRuleDocument,
            { input: { name: `Default ${i}`, kind: RoutingRuleKind.DEFAULT, teamId } },
            admin,
          ),
        ),
      );
      expect(defaults.filter((r) => !r.errors).length).toBe(1);
      expect(defaults.filter((r) => codeOf(r) === 'CONFLICT').length).toBe(9);
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          newRule(admin, { name: `Web ${i}`, kind: RoutingRuleKind.CHANNEL, channel: ChannelType.WEB, teamId }),
        ),
      );
      const all = await rules(admin);
      expect(all.map((r) => r.priority)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
      expect(all.at(-1)?.kind).toBe('DEFAULT');
    });

    it('updates a rule: renames, disables, changes kind (dropping the old binding) and team', async () => {
      const { tenant, admin } = await fresh();
      const [one, two] = [await createTeam(t, tenant, 'One'), await createTeam(t, tenant, 'Two')];
      const widgetId = await newWidget(tenant);
      const rule = await newRule(admin, { name: 'Site', kind: RoutingRuleKind.ENTRY, widgetId, teamId: one });

      const renamed = await t.ok(
        UpdateRoutingRuleDocument,
        { id: rule.id, input: { name: ' Landing ', enabled: false } },
        admin,
      );
      expect(renamed.updateRoutingRule).toMatchObject({ name: 'Landing', enabled: false, widget: { id: widgetId } });

      const wrongField = await t.gql(
        UpdateRoutingRuleDocument,
        { id: rule.id, input: { channel: ChannelType.WEB } },
        admin,
      );
      expect(problem(wrongField)).toEqual({ code: 'BAD_USER_INPUT', field: 'channel', reason: 'FIELD_NOT_FOR_KIND' });
      const noChannel = await t.gql(
        UpdateRoutingRuleDocument,
        { id: rule.id, input: { kind: RoutingRuleKind.CHANNEL } },
        admin,
      );
      expect(problem(noChannel)).toMatchObject({ field: 'channel', reason: 'CHANNEL_REQUIRED' });

      const changed = await t.ok(
        UpdateRoutingRuleDocument,
        { id: rule.id, input: { kind: RoutingRuleKind.CHANNEL, channel: ChannelType.WECHAT, teamId: two } },
        admin,
      );
      expect(changed.updateRoutingRule).toMatchObject({
        kind: 'CHANNEL',
        channel: 'WECHAT',
        widget: null,
        team: { id: two, name: 'Two' },
        priority: 1,
      });
      const profile = await t.ok(
        UpdateRoutingRuleDocument,
        {
          id: rule.id,
          input: {
            kind: RoutingRuleKind.CUSTOMER_PROFILE,
            conditions: [{ field: 'vip', operator: ProfileOperator.EQUALS, value: 'TRUE' }],
          },
        },
        admin,
      );
      expect(profile.updateRoutingRule).toMatchObject({
        channel: null,
        conditions: [{ field: 'vip', operator: 'EQUALS', value: 'true' }],
      });
    });

    it('reorders rules, keeps the default rule last, and refuses an order that is not complete', async () => {
      const { tenant, admin } = await fresh();
      const teamId = await createTeam(t, tenant);
      const fallback = await newRule(admin, { name: 'Default', kind: RoutingRuleKind.DEFAULT, teamId });
      const web = await newRule(admin, {
        name: 'Web',
        kind: RoutingRuleKind.CHANNEL,
        channel: ChannelType.WEB,
        teamId,
      });
      const app = await newRule(admin, {
        name: 'App',
        kind: RoutingRuleKind.CHANNEL,
        channel: ChannelType.APP,
        teamId,
      });
      const wechat = await newRule(admin, {
        name: 'WeChat',
        kind: RoutingRuleKind.CHANNEL,
        channel: ChannelType.WECHAT,
        teamId,
      });

      const reordered = await t.ok(ReorderRoutingRulesDocument, { ids: [wechat.id, web.id, app.id] }, admin);
      expect(reordered.reorderRoutingRules.map((r) => [r.name, r.priority])).toEqual([
        ['WeChat', 1],
        ['Web', 2],
        ['App', 3],
        ['Default', 4],
      ]);
      expect((await rules(admin)).map((r) => r.name)).toEqual(['WeChat', 'Web', 'App', 'Default']);

      const missing = await t.gql(ReorderRoutingRulesDocument, { ids: [web.id, app.id] }, admin);
      expect(problem(missing)).toEqual({ code: 'BAD_USER_INPUT', field: 'ids', reason: 'ORDER_INVALID' });
      const twice = await t.gql(ReorderRoutingRulesDocument, { ids: [web.id, web.id, app.id] }, admin);
      expect(problem(twice)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ORDER_INVALID' });
      const withDefault = await t.gql(
        ReorderRoutingRulesDocument,
        { ids: [fallback.id, web.id, app.id, wechat.id] },
        admin,
      );
      expect(problem(withDefault)).toEqual({ code: 'BAD_USER_INPUT', field: 'ids.0', reason: 'ORDER_INVALID' });
      expect((await rules(admin)).map((r) => r.name)).toEqual(['WeChat', 'Web', 'App', 'Default']);

      // Deleting closes the gap.
      await t.ok(DeleteRoutingRuleDocument, { id: web.id }, admin);
      expect((await rules(admin)).map((r) => [r.name, r.priority])).toEqual([
        ['WeChat', 1],
        ['App', 2],
        ['Default', 3],
      ]);
      expect(codeOf(await t.gql(DeleteRoutingRuleDocument, { id: web.id }, admin))).toBe('NOT_FOUND');
    });

    it('leaves a rule routing to its team all day when its time plan is deleted', async () => {
      const { tenant, admin } = await fresh();
      const [day, night] = [await createTeam(t, tenant), await createTeam(t, tenant)];
      await newPlan(admin);
      const plan = await newPlan(admin);
      const rule = await newRule(admin, {
        name: 'Web',
        kind: RoutingRuleKind.CHANNEL,
        channel: ChannelType.WEB,
        teamId: day,
        timePlanId: plan.id,
        offHoursTeamId: night,
      });
      await t.ok(DeleteTimePlanDocument, { id: plan.id }, admin);
      expect((await t.ok(RoutingRuleDocument, { id: rule.id }, admin)).routingRule).toMatchObject({
        timePlan: null,
        offHoursTeam: null,
        team: { id: day },
      });
    });
  });

  describe('route()', () => {
    let tenant: TenantFixture;
    let admin: string;
    let teams: Record<'web' | 'app' | 'shop' | 'entry' | 'vip' | 'night' | 'fallback' | 'widgetTeam', string>;
    let widgetId: string;
    let accountId: string;

    const route = async (input: Partial<RouteInput> & { customer: Customer }) => {
      const count = { statements: 0 };
      const decision = await sqlCounter.run(count, () =>
        t.services.routing.route(tenant.tenantId, {
          channel: ChannelType.WEB,
          channelAccountId: null,
          widgetId: null,
          entryTeamId: null,
          at: WORK_TIME,
          ...input,
        }),
      );
      // One prepared statement (rules, teams, plans and the entry's team), none through the ORM.
      expect(count.statements).toBe(0);
      return decision;
    };
    const teamName = (id: string) => Object.entries(teams).find(([, v]) => v === id)?.[0];

    beforeAll(async () => {
      ({ tenant, admin } = await fresh());
      const names = ['web', 'app', 'shop', 'entry', 'vip', 'night', 'fallback', 'widgetTeam'] as const;
      const ids = await Promise.all(names.map((n) => createTeam(t, tenant, n)));
      teams = Object.fromEntries(names.map((n, i) => [n, ids[i]!])) as typeof teams;
      widgetId = await newWidget(tenant, teams.widgetTeam);
      accountId = await newAccount(tenant);
      const plan = await newPlan(admin, { name: 'Office hours' });
      await newRule(admin, {
        name: 'Shop app',
        kind: RoutingRuleKind.CHANNEL_ACCOUNT,
        channelAccountId: accountId,
        teamId: teams.shop,
      });
      await newRule(admin, { name: 'Pricing page', kind: RoutingRuleKind.ENTRY, widgetId, teamId: teams.entry });
      await newRule(admin, {
        name: 'VIP customers',
        kind: RoutingRuleKind.CUSTOMER_PROFILE,
        conditions: [
          { field: 'vip', operator: ProfileOperator.IS_TRUE },
          { field: 'company', operator: ProfileOperator.CONTAINS, value: 'acme' },
        ],
        teamId: teams.vip,
        timePlanId: plan.id,
        offHoursTeamId: teams.night,
      });
      await newRule(admin, {
        name: 'App users',
        kind: RoutingRuleKind.CHANNEL,
        channel: ChannelType.APP,
        teamId: teams.app,
      });
      await newRule(admin, {
        name: 'WeChat',
        kind: RoutingRuleKind.CHANNEL,
        channel: ChannelType.WECHAT,
        teamId: teams.web,
        enabled: false,
      });
    });

    it('routes by channel account, entry, customer profile and channel, in priority order', async () => {
      const plain = await newCustomer(tenant);
      const acmeVip = await newCustomer(tenant, { vip: true, company: 'ACME Trading' });

      const byAccount = await route({ channel: ChannelType.APP, channelAccountId: accountId, customer: acmeVip });
      expect(byAccount).toMatchObject({ teamId: teams.shop, ruleName: 'Shop app' });
      expect(byAccount.reason).toBe('Rule “Shop app” (channel account) matched, so routed to team shop');

      const byEntry = await route({ widgetId, customer: acmeVip });
      expect(byEntry).toMatchObject({ teamId: teams.entry, ruleName: 'Pricing page' });
      expect(byEntry.reason).toBe('Rule “Pricing page” (entry) matched, so routed to team entry');

      const byProfile = await route({ channel: ChannelType.APP, customer: acmeVip });
      expect(teamName(byProfile.teamId!)).toBe('vip');
      expect(byProfile.reason).toBe(
        'Rule “VIP customers” (customer profile) matched; within work hours of “Office hours”, so routed to team vip',
      );

      const byChannel = await route({ channel: ChannelType.APP, customer: plain });
      expect(byChannel).toMatchObject({ teamId: teams.app, ruleName: 'App users' });
      expect(byChannel.ruleId).toEqual(expect.any(String));
      expect(byChannel.reason).toBe('Rule “App users” (channel) matched, so routed to team app');
    });

    it('needs every condition of a profile rule to hold', async () => {
      const vipElsewhere = await newCustomer(tenant, { vip: true, company: 'Globex' });
      const acmeNotVip = await newCustomer(tenant, { vip: false, company: 'Acme' });
      expect((await route({ channel: ChannelType.APP, customer: vipElsewhere })).teamId).toBe(teams.app);
      expect((await route({ channel: ChannelType.APP, customer: acmeNotVip })).teamId).toBe(teams.app);
    });

    it('sends off-hours conversations to the off-hours team, explaining why', async () => {
      const acmeVip = await newCustomer(tenant, { vip: true, company: 'acme' });
      const off = await route({ customer: acmeVip, at: OFF_TIME });
      expect(off).toMatchObject({ teamId: teams.night, ruleName: 'VIP customers' });
      expect(off.reason).toBe(
        'Rule “VIP customers” (customer profile) matched; outside work hours of “Office hours”, so routed to team night',
      );
    });

    it('falls back to the entry team, then to no team, when no rule matches; skips disabled rules', async () => {
      const plain = await newCustomer(tenant);
      const viaEntryTeam = await route({ channel: ChannelType.WECHAT, customer: plain, entryTeamId: teams.widgetTeam });
      expect(viaEntryTeam).toEqual({
        teamId: teams.widgetTeam,
        ruleId: null,
        ruleName: null,
        reason: 'No routing rule matched; the entry names team widgetTeam',
      });
      expect(await route({ channel: ChannelType.WECHAT, customer: plain })).toEqual({
        teamId: null,
        ruleId: null,
        ruleName: null,
        reason: 'No routing rule matched; any agent of the company may serve it',
      });
    });

    it('applies changes to the next decision: reorder, a new default rule, a rule without an off-hours team', async () => {
      const { tenant: own, admin: ownAdmin } = await fresh();
      const [day, everyone] = [await createTeam(t, own, 'Day'), await createTeam(t, own, 'Everyone')];
      const plan = await newPlan(ownAdmin, { name: 'Office hours' });
      const customer = await newCustomer(own, { vip: true });
      const decide = (at = WORK_TIME) =>
        t.services.routing.route(own.tenantId, {
          channel: ChannelType.WEB,
          channelAccountId: null,
          widgetId: null,
          entryTeamId: null,
          customer,
          at,
        });
      expect((await decide()).teamId).toBeNull();

      const fallback = await newRule(ownAdmin, { name: 'Default', kind: RoutingRuleKind.DEFAULT, teamId: everyone });
      expect(await decide()).toMatchObject({
        teamId: everyone,
        ruleId: fallback.id,
        reason: 'Rule “Default” (default) matched, so routed to team Everyone',
      });

      const web = await newRule(ownAdmin, {
        name: 'Web',
        kind: RoutingRuleKind.CHANNEL,
        channel: ChannelType.WEB,
        teamId: day,
        timePlanId: plan.id,
      });
      const vip = await newRule(ownAdmin, {
        name: 'VIP',
        kind: RoutingRuleKind.CUSTOMER_PROFILE,
        conditions: [{ field: 'vip', operator: ProfileOperator.EQUALS, value: 'true' }],
        teamId: everyone,
      });
      expect((await decide()).ruleName).toBe('Web');
      expect((await decide(OFF_TIME)).reason).toBe(
        'Rule “Web” (channel) matched; outside work hours of “Office hours”, and it names no off-hours team, so routed to team Day',
      );
      await t.ok(ReorderRoutingRulesDocument, { ids: [vip.id, web.id] }, ownAdmin);
      expect((await decide()).ruleName).toBe('VIP');
      await t.ok(UpdateRoutingRuleDocument, { id: vip.id, input: { enabled: false } }, ownAdmin);
      expect((await decide()).ruleName).toBe('Web');
      await t.ok(UpdateRoutingRuleDocument, { id: web.id, input: { enabled: false } }, ownAdmin);
      expect((await decide()).ruleName).toBe('Default');
    });

    it("does not match another tenant's widget or entry team", async () => {
      const { tenant: b } = await fresh();
      const foreignTeam = await createTeam(t, b);
      const plain = await newCustomer(tenant);
      // Tenant A's widget binds "Pricing page" in A only; B routes it as unknown.
      const decision = await t.services.routing.route(b.tenantId, {
        channel: ChannelType.WEB,
        channelAccountId: accountId,
        widgetId,
        entryTeamId: teams.widgetTeam,
        customer: plain,
        at: WORK_TIME,
      });
      expect(decision.teamId).toBeNull();
      // And A does not take B's team as its entry team.
      expect(
        (await route({ channel: ChannelType.WECHAT, customer: plain, entryTeamId: foreignTeam })).teamId,
      ).toBeNull();
    });
  });

  describe('businessHoursOpen()', () => {
    it("uses the team's plan, else the default plan, else is always open", async () => {
      const { tenant, admin } = await fresh();
      const [planned, unplanned] = [await createTeam(t, tenant), await createTeam(t, tenant)];
      const open = async (teamId: string | null, at: Date) => {
        const count = { statements: 0 };
        const result = await sqlCounter.run(count, () =>
          t.services.routing.businessHoursOpen(tenant.tenantId, teamId, at),
        );
        // One prepared statement, none through the ORM.
        expect(count.statements).toBe(0);
        return result;
      };
      // No plan at all: always open.
      expect(await open(planned, OFF_TIME)).toBe(true);
      expect(await open(null, OFF_TIME)).toBe(true);

      await newPlan(admin, { name: 'Default' });
      expect(await open(unplanned, WORK_TIME)).toBe(true);
      expect(await open(unplanned, OFF_TIME)).toBe(false);
      expect(await open(null, OFF_TIME)).toBe(false);

      const night = await newPlan(admin, {
        name: 'Night',
        weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, ranges: [{ start: '00:00', end: '09:00' }] })),
      });
      await t.ok(SetTeamTimePlanDocument, { teamId: planned, timePlanId: night.id }, admin);
      expect(await open(planned, OFF_TIME)).toBe(true);
      expect(await open(planned, WORK_TIME)).toBe(false);
      expect(await open(unplanned, OFF_TIME)).toBe(false);
    });
  });

  describe('access', () => {
    it("answers NOT_FOUND for another tenant's plans, rules, teams, widgets and accounts", async () => {
      const { tenant: a, admin: adminA } = await fresh();
      const { tenant: b, admin: adminB } = await fresh();
      const teamA = await createTeam(t, a);
      const teamB = await createTeam(t, b);
      const planA = await newPlan(adminA);
      const planB = await newPlan(adminB);
      const widgetA = await newWidget(a);
      const accountA = await newAccount(a);
      const ruleA = await newRule(adminA, {
        name: 'A web',
        kind: RoutingRuleKind.CHANNEL,
        channel: ChannelType.WEB,
        teamId: teamA,
      });

      const expectNotFound = async (res: Promise<GraphQLResponse<unknown>>, field?: string) => {
        const p = problem(await res);
        expect(p.code).toBe('NOT_FOUND');
        if (field) expect(p.field).toBe(field);
      };
      await expectNotFound(t.gql(TimePlanDocument, { id: planA.id }, adminB));
      await expectNotFound(t.gql(UpdateTimePlanDocument, { id: planA.id, input: { name: 'Mine' } }, adminB));
      await expectNotFound(t.gql(SetDefaultTimePlanDocument, { id: planA.id }, adminB));
      await expectNotFound(t.gql(DeleteTimePlanDocument, { id: planA.id }, adminB));
      await expectNotFound(t.gql(SetTeamTimePlanDocument, { teamId: teamA, timePlanId: planB.id }, adminB), 'teamId');
      await expectNotFound(
        t.gql(SetTeamTimePlanDocument, { teamId: teamB, timePlanId: planA.id }, adminB),
        'timePlanId',
      );

      const base = { name: 'Steal', kind: RoutingRuleKind.CHANNEL, channel: ChannelType.WEB, teamId: teamB };
      await expectNotFound(t.gql(CreateRoutingRuleDocument, { input: { ...base, teamId: teamA } }, adminB), 'teamId');
      await expectNotFound(
        t.gql(CreateRoutingRuleDocument, { input: { ...base, timePlanId: planA.id, offHoursTeamId: teamA } }, adminB),
      );
      await expectNotFound(
        t.gql(
          CreateRoutingRuleDocument,
          { input: { ...base, channel: null, kind: RoutingRuleKind.ENTRY, widgetId: widgetA } },
          adminB,
        ),
        'widgetId',
      );
      await expectNotFound(
        t.gql(
          CreateRoutingRuleDocument,
          { input: { ...base, channel: null, kind: RoutingRuleKind.CHANNEL_ACCOUNT, channelAccountId: accountA } },
          adminB,
        ),
        'channelAccountId',
      );
      await expectNotFound(t.gql(RoutingRuleDocument, { id: ruleA.id }, adminB));
      await expectNotFound(t.gql(UpdateRoutingRuleDocument, { id: ruleA.id, input: { name: 'Mine' } }, adminB));
      await expectNotFound(t.gql(DeleteRoutingRuleDocument, { id: ruleA.id }, adminB));
      await expectNotFound(t.gql(ReorderRoutingRulesDocument, { ids: [ruleA.id] }, adminB));

      // Nothing of A shows in B's lists, and A's data is untouched.
      expect((await plans(adminB)).map((p) => p.id)).toEqual([planB.id]);
      expect(await rules(adminB)).toEqual([]);
      expect((await rules(adminA)).map((r) => [r.id, r.name])).toEqual([[ruleA.id, 'A web']]);
      expect((await plans(adminA)).map((p) => [p.id, p.isDefault])).toEqual([[planA.id, true]]);
    });

    it('refuses agents (FORBIDDEN) and lets a role with only the settings page manage routing', async () => {
      const { tenant, admin } = await fresh();
      const teamId = await createTeam(t, tenant);
      const plan = await newPlan(admin);
      const agent = (await createUser(t, tenant)).token;
      const forbidden = [
        await t.gql(TimePlansDocument, {}, agent),
        await t.gql(CreateTimePlanDocument, { input: officeHours() }, agent),
        await t.gql(SetDefaultTimePlanDocument, { id: plan.id }, agent),
        await t.gql(SetTeamTimePlanDocument, { teamId, timePlanId: plan.id }, agent),
        await t.gql(RoutingRulesDocument, {}, agent),
        await t.gql(CreateRoutingRuleDocument, { input: { name: 'X', kind: RoutingRuleKind.DEFAULT, teamId } }, agent),
        await t.gql(ReorderRoutingRulesDocument, { ids: [] }, agent),
      ];
      expect(forbidden.map(codeOf)).toEqual(forbidden.map(() => 'FORBIDDEN'));
      expect(await plans(admin)).toHaveLength(1);
      expect(await rules(admin)).toEqual([]);

      const settingsOnly = (await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.ADMIN_SETTINGS]) }))
        .token;
      const rule = await newRule(settingsOnly, { name: 'Everyone', kind: RoutingRuleKind.DEFAULT, teamId });
      expect((await rules(admin)).map((r) => r.id)).toEqual([rule.id]);
      expect(
        (await t.ok(SetTeamTimePlanDocument, { teamId, timePlanId: plan.id }, settingsOnly)).setTeamTimePlan.timePlan,
      ).toEqual({
        id: plan.id,
        name: plan.name,
      });
    });
  });
});
