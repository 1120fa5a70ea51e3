import { DataScope, Page } from '../../../src/platform/auth/pages';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { Customer } from '../../../src/modules/customer/customer.entity';
import { startOfWeek } from '../../../src/modules/customer/customer-list.service';
import { CustomerTag, CustomerTagging } from '../../../src/modules/tag/tag.entity';
import {
  createRole,
  createScopedRole,
  createTeam,
  createTenant,
  createUser,
  type TenantFixture,
  type UserFixture,
} from '../../factories';
import {
  CloseConversationDocument,
  CreateWidgetConfigDocument,
  CustomerProfileDocument,
  CustomersDocument,
  type CustomersQueryVariables,
  JoinConversationDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

describe('customers list and profile (HIS-3)', () => {
  let t: TestApp;
  let a: TenantFixture;
  let b: TenantFixture;
  let teamOne: string;
  let agentOne: UserFixture;
  let agentTwo: UserFixture;
  let teamAdmin: UserFixture;
  // Served by agent one in team one / by agent two in team two / seen 10 days ago, team one / tenant B.
  let one: string;
  let two: string;
  let old: string;
  let ofB: string;
  let vipTag: string;

  const widget = async (tenant: TenantFixture, entryTeamId?: string) =>
    (
      await t.ok(
        CreateWidgetConfigDocument,
        { input: { name: `Site ${Math.random()}`, entryTeamId } },
        tenant.admin.token,
      )
    ).createWidgetConfig.publicKey;

  const served = async (widgetKey: string, agent: UserFixture): Promise<string> => {
    const session = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;
    const sent = await t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'Hi' } }, session.token);
    await t.ok(JoinConversationDocument, { id: sent.sendVisitorMessage.conversation }, agent.token);
    await t.ok(CloseConversationDocument, { id: sent.sendVisitorMessage.conversation }, agent.token);
    return session.customer.id;
  };

  const list = async (token: string, vars: CustomersQueryVariables = {}) => {
    const res = await t.gql(CustomersDocument, { first: 100, ...vars }, token);
    expect(res.errors).toBeUndefined();
    return { ids: res.data!.customers.nodes.map((n) => n.id), total: res.data!.customers.totalCount };
  };
  const sorted = (ids: string[]) => [...ids].sort();

  beforeAll(async () => {
    t = await startTestApp();
    a = await createTenant(t);
    b = await createTenant(t);
    teamOne = await createTeam(t, a);
    const teamTwo = await createTeam(t, a);
    agentOne = await createUser(t, a, { teamIds: [teamOne] });
    agentTwo = await createUser(t, a, { teamIds: [teamTwo] });
    const role = await createScopedRole(t, a, [Page.ADMIN_CUSTOMERS], { customersScope: DataScope.TEAM });
    teamAdmin = await createUser(t, a, { roleId: role, teamIds: [teamOne] });

    const keyOne = await widget(a, teamOne);
    one = await served(keyOne, agentOne);
    two = await served(await widget(a, teamTwo), agentTwo);
    old = await served(keyOne, agentOne);
    ofB = await served(await widget(b), b.admin);

    const em = systemFork(t.orm.em);
    const monday = startOfWeek(new Date());
    await em.nativeUpdate(Customer, { id: old }, { lastSeenAt: new Date(monday.getTime() - 3 * 24 * 3600_000) });
    await em.nativeUpdate(Customer, { id: one }, { nickname: 'Zhang Wei', email: 'zhang@example.com' });
    await em.nativeUpdate(Customer, { id: two }, { nickname: 'Li Na', blacklistedAt: new Date() });
    const tag = em.create(CustomerTag, { tenant: a.tenantId, name: 'VIP' });
    await em.flush();
    vipTag = tag.id;
    em.create(CustomerTagging, { tenant: a.tenantId, customer: two, tag: vipTag });
    await em.flush();
  });
  afterAll(() => t.stop());

  it('Admin Mode lists the customers seen this week, newest first; a range reaches older ones', async () => {
    expect(sorted((await list(a.admin.token)).ids)).toEqual(sorted([one, two]));
    expect((await list(a.admin.token)).total).toBe(2);
    const from = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
    const all = await list(a.admin.token, { filter: { from } });
    expect(sorted(all.ids)).toEqual(sorted([one, two, old]));
    expect(all.ids.at(-1)).toBe(old);
    const page = await t.ok(CustomersDocument, { first: 1, filter: { from } }, a.admin.token);
    expect(page.customers.pageInfo.hasNextPage).toBe(true);
    expect(page.customers.totalCount).toBe(3);
  });

  it('filters by name or id (fuzzy), tag and blacklist', async () => {
    expect((await list(a.admin.token, { filter: { search: 'zhang' } })).ids).toEqual([one]);
    expect((await list(a.admin.token, { filter: { search: 'EXAMPLE.COM' } })).ids).toEqual([one]);
    expect((await list(a.admin.token, { filter: { tagIds: [vipTag] } })).ids).toEqual([two]);
    expect((await list(a.admin.token, { filter: { blacklistedOnly: true } })).ids).toEqual([two]);
    // A search looks at all time unless a range is given.
    const profile = (await t.ok(CustomerProfileDocument, { id: old }, a.admin.token)).customer;
    expect((await list(a.admin.token, { filter: { search: profile.externalId.slice(-6) } })).ids).toEqual([old]);
    expect(
      codeOf(
        await t.gql(
          CustomersDocument,
          { filter: { from: '2030-01-01T00:00:00Z', to: '2029-01-01T00:00:00Z' } },
          a.admin.token,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('Agent Mode lists the customers the agent served; a TEAM scope the customers of its teams', async () => {
    const from = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
    expect(sorted((await list(agentOne.token, { filter: { from } })).ids)).toEqual(sorted([one, old]));
    expect(await list(agentTwo.token, { filter: { from } })).toEqual({ ids: [two], total: 1 });
    expect(codeOf(await t.gql(CustomersDocument, { mode: 'ADMIN' }, agentOne.token))).toBe('FORBIDDEN');

    expect(sorted((await list(teamAdmin.token, { filter: { from } })).ids)).toEqual(sorted([one, old]));
    expect((await list(teamAdmin.token, { filter: { blacklistedOnly: true } })).total).toBe(0);
    expect((await t.ok(CustomerProfileDocument, { id: one }, teamAdmin.token)).customer.id).toBe(one);
    expect(codeOf(await t.gql(CustomerProfileDocument, { id: two }, teamAdmin.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(CustomerProfileDocument, { id: two }, agentOne.token))).toBe('NOT_FOUND');
    expect((await t.ok(CustomerProfileDocument, { id: two }, agentTwo.token)).customer.nickname).toBe('Li Na');
  });

  it('another tenant sees none of these customers', async () => {
    const from = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
    expect(await list(b.admin.token, { filter: { from } })).toEqual({ ids: [ofB], total: 1 });
    expect(codeOf(await t.gql(CustomerProfileDocument, { id: one }, b.admin.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(CustomersDocument, { filter: { tagIds: [vipTag] } }, b.admin.token))).toBe('NOT_FOUND');
  });

  it('refuses a role without the Customers pages (FORBIDDEN)', async () => {
    const user = await createUser(t, a, { roleId: await createRole(t, a, [Page.AGENT_HISTORY]) });
    expect(codeOf(await t.gql(CustomersDocument, {}, user.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(CustomerProfileDocument, { id: one }, user.token))).toBe('FORBIDDEN');
  });
});
