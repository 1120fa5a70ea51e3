import { systemFork } from '../../../src/platform/database/tenant-filter';
import { Customer } from '../../../src/modules/customer/customer.entity';
import { User, UserStatus } from '../../../src/modules/user/user.entity';
import { Team } from '../../../src/modules/team/team.entity';
import {
  createRole,
  createTeam,
  createTenant,
  createUser,
  type TenantFixture,
  type UserFixture,
} from '../../factories';
import {
  AssignConversationDocument,
  CloseConversationDocument,
  ConversationDocument,
  CreateTimePlanDocument,
  CreateWidgetConfigDocument,
  EngineConversationDocument,
  EngineSettingsDocument,
  EngineVisitorMessagesDocument,
  JoinConversationDocument,
  SendVisitorMessageDocument,
  SetTeamTimePlanDocument,
  StartVisitorSessionDocument,
  UpdateUserDocument,
  VisitorConversationDecisionsDocument,
  VisitorConversationTransfersDocument,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

/** QUE-4, QUE-9, QUE-10, QUE-12, QUE-13 and the greetings of CNV-10, one rule at a time. */
describe('assignment engine rules', () => {
  let t: TestApp;
  let tenant: TenantFixture;

  const setStatus = (user: { id: string }, status: UserStatus) =>
    systemFork(t.orm.em).nativeUpdate(User, { id: user.id }, { status });
  const settings = (input: Record<string, unknown>) => t.ok(EngineSettingsDocument, { input }, tenant.admin.token);

  /** A team with its own entry (widget): conversations from it are routed to the team. */
  const teamWithEntry = async (name: string) => {
    const team = await createTeam(t, tenant, `${name} ${Math.random()}`);
    const key = (await t.ok(CreateWidgetConfigDocument, { input: { name, entryTeamId: team } }, tenant.admin.token))
      .createWidgetConfig.publicKey;
    return { team, key };
  };
  const visitor = async (key: string, resumeToken?: string) =>
    (await t.ok(StartVisitorSessionDocument, { input: { widgetKey: key, resumeToken } })).startVisitorSession;
  const write = async (token: string) =>
    (await t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'hello' } }, token)).sendVisitorMessage
      .conversation;
  const conversation = async (id: string) =>
    (await t.ok(EngineConversationDocument, { id }, tenant.admin.token)).conversation;
  const servingOf = async (id: string) => (await conversation(id)).agents.filter((a) => !a.leftAt).map((a) => a.user);

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
  });
  afterAll(() => t.stop());

  it('gives the conversation to the agent with the highest idle rate, and says so (QUE-12, QUE-13)', async () => {
    const { team, key } = await teamWithEntry('Idle');
    const busy = await createUser(t, tenant, { teamIds: [team], maxConversations: 2, nickname: 'Busy' });
    const idle = await createUser(t, tenant, { teamIds: [team], maxConversations: 10, nickname: 'Idle' });
    await setStatus(busy, UserStatus.ONLINE);
    const first = await write((await visitor(key)).token); // both empty: the tie goes to either
    await setStatus(idle, UserStatus.ONLINE);
    const firstAgent = (await servingOf(first))[0];
    expect(firstAgent).toBe(busy.id);
    // busy: 1 of 2 (50 % idle); idle: 0 of 10 (100 %).
    const second = await write((await visitor(key)).token);
    expect(await servingOf(second)).toEqual([idle.id]);
    const decisions = (await conversation(second)).decisions;
    expect(decisions.map((d) => d.kind)).toEqual(['ROUTED', 'ASSIGNED']);
    expect(decisions[0]!.reason).toMatch(/the entry names team/);
    expect(decisions[1]).toMatchObject({ chosenUser: idle.id });
    expect(decisions[1]!.reason).toMatch(/Idle had the highest idle rate \(100%, 0 of 10\)/);
  });

  it('keeps decisions and transfers (agents, loads, remarks) from the visitor', async () => {
    const { key } = await teamWithEntry('Private');
    const v = await visitor(key);
    await write(v.token);
    expect(codeOf(await t.gql(VisitorConversationDecisionsDocument, {}, v.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(VisitorConversationTransfersDocument, {}, v.token))).toBe('FORBIDDEN');
  });

  it('sends the team and agent greetings with ##dear## on assignment (CNV-10)', async () => {
    const { team, key } = await teamWithEntry('Greeters');
    await systemFork(t.orm.em).nativeUpdate(Team, { id: team }, { greeting: 'Welcome to the team, ##dear##!' });
    const agent = await createUser(t, tenant, { teamIds: [team], nickname: 'Gail' });
    await systemFork(t.orm.em).nativeUpdate(User, { id: agent.id }, { greeting: 'Hi ##dear##, Gail here.' });
    await setStatus(agent, UserStatus.ONLINE);
    const v = await visitor(key);
    await systemFork(t.orm.em).nativeUpdate(Customer, { id: v.customer.id }, { nickname: 'Ann' });
    await write(v.token);
    const messages = (await t.ok(EngineVisitorMessagesDocument, {}, v.token)).visitorMessages;
    expect(messages.slice(-3).map((m) => [m.senderKind, m.text])).toEqual([
      ['SYSTEM', 'Gail is now serving you.'],
      ['SYSTEM', 'Welcome to the team, Ann!'],
      ['AGENT', 'Hi Ann, Gail here.'],
    ]);
  });

  it('prefers the agent who served the customer before, when familiarity is on (QUE-9)', async () => {
    const { team, key } = await teamWithEntry('Familiar');
    const first = await createUser(t, tenant, { teamIds: [team], maxConversations: 5 });
    const other = await createUser(t, tenant, { teamIds: [team], maxConversations: 5 });
    await setStatus(first, UserStatus.ONLINE);
    const v = await visitor(key);
    const earlier = await write(v.token);
    expect(await servingOf(earlier)).toEqual([first.id]);
    await t.ok(CloseConversationDocument, { id: earlier }, first.token);
    await setStatus(other, UserStatus.ONLINE);
    // Give `first` more load, so that without familiarity `other` would win.
    await write((await visitor(key)).token);
    await write((await visitor(key)).token);

    await settings({ familiarity: { enabled: true, mode: 'LAST' } });
    const again = await write(v.token);
    expect(await servingOf(again)).toEqual([first.id]);
    const decision = (await conversation(again)).decisions.find((d) => d.kind === 'ASSIGNED')!;
    expect(decision.reason).toMatch(/served this customer last \(familiarity\)/);
    await settings({ familiarity: { enabled: false } });
  });

  it('waits outside the team’s business hours when assignment is limited to them (QUE-10)', async () => {
    const { team, key } = await teamWithEntry('Closed');
    const agent = await createUser(t, tenant, { teamIds: [team] });
    await setStatus(agent, UserStatus.ONLINE);
    // A plan with no working hours at all: always closed.
    const plan = (
      await t.ok(
        CreateTimePlanDocument,
        { input: { name: `Never ${Math.random()}`, timezone: 'UTC', weekly: [] } },
        tenant.admin.token,
      )
    ).createTimePlan;
    await t.ok(SetTeamTimePlanDocument, { teamId: team, timePlanId: plan.id }, tenant.admin.token);

    await settings({ assignOnlyInBusinessHours: true });
    const waiting = await write((await visitor(key)).token);
    expect((await conversation(waiting)).state).toBe('QUEUED');

    await settings({ assignOnlyInBusinessHours: false });
    await t.services.assignment.dispatch(tenant.tenantId, team);
    expect(await servingOf(waiting)).toEqual([agent.id]);
  });

  it('shows a queued conversation’s messages to agents only when the settings allow it (QUE-6)', async () => {
    const { team, key } = await teamWithEntry('Peek');
    const agent = await createUser(t, tenant, { teamIds: [team], maxConversations: 0 });
    const waiting = await write((await visitor(key)).token);
    const read = (token: string) => t.gql(ConversationDocument, { id: waiting, first: 10 }, token);
    expect((await read(agent.token)).data?.conversation.messages.length).toBeGreaterThan(0);
    await settings({ agentsMayViewQueuedMessages: false });
    expect(codeOf(await read(agent.token))).toBe('FORBIDDEN');
    expect((await read(tenant.admin.token)).data?.conversation.messages.length).toBeGreaterThan(0);
    await settings({ agentsMayViewQueuedMessages: true });
  });

  it('pulls from the queue when an admin raises an agent’s max (PRE-2)', async () => {
    const { team, key } = await teamWithEntry('Capacity');
    const agent = await createUser(t, tenant, { teamIds: [team], maxConversations: 0 });
    await setStatus(agent, UserStatus.ONLINE);
    const waiting = await write((await visitor(key)).token);
    expect((await conversation(waiting)).state).toBe('QUEUED');
    await t.ok(UpdateUserDocument, { id: agent.id, input: { maxConversations: 3 } }, tenant.admin.token);
    expect(await servingOf(waiting)).toEqual([agent.id]);
  });

  it('lets agents join from the queue only when allowed; admins always; admins assign to agents not offline (QUE-4)', async () => {
    const { team, key } = await teamWithEntry('Manual');
    const agent = await createUser(t, tenant, { teamIds: [team], maxConversations: 0 });
    const offline = await createUser(t, tenant, { teamIds: [team] });

    await settings({ agentsMayJoinFromQueue: false });
    const one = await write((await visitor(key)).token);
    expect(codeOf(await t.gql(JoinConversationDocument, { id: one }, agent.token))).toBe('FORBIDDEN');
    const joined = await t.ok(JoinConversationDocument, { id: one }, tenant.admin.token);
    expect(joined.joinConversation.state).toBe('ONGOING');
    await settings({ agentsMayJoinFromQueue: true });

    const two = await write((await visitor(key)).token);
    expect(codeOf(await t.gql(AssignConversationDocument, { id: two, userId: offline.id }, tenant.admin.token))).toBe(
      'CONFLICT',
    );
    await setStatus(agent, UserStatus.BUSY);
    const assigned = await t.ok(AssignConversationDocument, { id: two, userId: agent.id }, tenant.admin.token);
    expect(assigned.assignConversation).toMatchObject({
      state: 'ONGOING',
      agents: [{ user: agent.id, joinedHow: 'ASSIGNED' }],
    });
    const decision = (await conversation(two)).decisions.at(-1)!;
    expect(decision).toMatchObject({ kind: 'MANUAL', chosenUser: agent.id });
    expect(codeOf(await t.gql(AssignConversationDocument, { id: two, userId: agent.id }, tenant.admin.token))).toBe(
      'CONFLICT',
    );

    // Other tenants and roles without the monitor page.
    const other = await createTenant(t);
    const stranger: UserFixture = await createUser(t, other);
    const three = await write((await visitor(key)).token);
    expect(
      codeOf(await t.gql(AssignConversationDocument, { id: three, userId: stranger.id }, tenant.admin.token)),
    ).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(AssignConversationDocument, { id: three, userId: agent.id }, other.admin.token))).toBe(
      'NOT_FOUND',
    );
    const noMonitor = await createUser(t, tenant, { roleId: await createRole(t, tenant, []) });
    expect(codeOf(await t.gql(AssignConversationDocument, { id: three, userId: agent.id }, noMonitor.token))).toBe(
      'FORBIDDEN',
    );
  });
});
