import { DataScope, Page } from '../../../src/platform/auth/pages';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { ChannelAccount, ChannelType } from '../../../src/modules/channel/channel.entity';
import { Message } from '../../../src/modules/conversation/conversation.entity';
import { Rating } from '../../../src/modules/satisfaction/rating.entity';
import { ConversationTag, ConversationTagging } from '../../../src/modules/tag/tag.entity';
import { Transfer, TransferState } from '../../../src/modules/transfer/transfer.entity';
import { Conversation } from '../../../src/modules/conversation/conversation.entity';
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
  CustomerInteractionsDocument,
  HistoryConversationDocument,
  HistoryDetailDocument,
  HistoryDocument,
  type HistoryFilter,
  type HistoryQueryVariables,
  JoinConversationDocument,
  SearchMessagesDocument,
  type SearchMessagesQueryVariables,
  SendMessageDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

interface Served {
  conversationId: string;
  customerId: string;
  visitorToken: string;
}

describe('history, search and interaction record (HIS-1, HIS-2, CNV-11)', () => {
  let t: TestApp;
  let a: TenantFixture;
  let b: TenantFixture;
  let teamOne: string;
  let teamTwo: string;
  let agentOne: UserFixture;
  let agentTwo: UserFixture;
  let teamAdmin: UserFixture;
  let accountId: string;
  let refundTag: string;
  let otherTag: string;
  // c1: team one, closed, tagged; c2: team two, closed, transferred; c3: team one, open; cB: tenant B.
  let c1: Served;
  let c2: Served;
  let c3: Served;
  let cB: Served;

  const widget = async (tenant: TenantFixture, entryTeamId?: string, channelAccountId?: string) =>
    (
      await t.ok(
        CreateWidgetConfigDocument,
        { input: { name: `Site ${Math.random()}`, entryTeamId, channelAccountId } },
        tenant.admin.token,
      )
    ).createWidgetConfig.publicKey;

  /** A visitor writes, an agent joins and answers; closed unless told otherwise. */
  const converse = async (
    widgetKey: string,
    agent: UserFixture,
    customerText: string,
    opts: { close?: boolean; resumeToken?: string; nickname?: string } = {},
  ): Promise<Served> => {
    const session = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey, resumeToken: opts.resumeToken } }))
      .startVisitorSession;
    const sent = await t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: customerText } }, session.token);
    const conversationId = sent.sendVisitorMessage.conversation;
    await t.ok(JoinConversationDocument, { id: conversationId }, agent.token);
    await t.ok(SendMessageDocument, { conversationId, input: { type: 'TEXT', text: 'OK, one moment' } }, agent.token);
    if (opts.close !== false) await t.ok(CloseConversationDocument, { id: conversationId }, agent.token);
    return { conversationId, customerId: session.customer.id, visitorToken: session.token };
  };

  const historyIds = async (token: string, vars: HistoryQueryVariables = {}) => {
    const res = await t.gql(HistoryDocument, { first: 100, ...vars }, token);
    expect(res.errors).toBeUndefined();
    return { ids: res.data!.history.nodes.map((n) => n.id), total: res.data!.history.totalCount };
  };
  const search = (token: string, keyword: string, extra: Partial<SearchMessagesQueryVariables> = {}) =>
    t.gql(SearchMessagesDocument, { keyword, first: 100, ...extra }, token);
  const hitsOf = async (token: string, keyword: string, extra: Partial<SearchMessagesQueryVariables> = {}) => {
    const res = await search(token, keyword, extra);
    expect(res.errors).toBeUndefined();
    return res.data!.searchMessages;
  };

  beforeAll(async () => {
    t = await startTestApp();
    a = await createTenant(t);
    b = await createTenant(t);
    teamOne = await createTeam(t, a);
    teamTwo = await createTeam(t, a);
    agentOne = await createUser(t, a, { teamIds: [teamOne] });
    agentTwo = await createUser(t, a, { teamIds: [teamTwo] });
    const teamRole = await createScopedRole(t, a, [Page.ADMIN_HISTORY, Page.ADMIN_CUSTOMERS, Page.AGENT_HISTORY], {
      historyScope: DataScope.TEAM,
      customersScope: DataScope.TEAM,
      ongoingScope: DataScope.TEAM,
    });
    teamAdmin = await createUser(t, a, { roleId: teamRole, teamIds: [teamOne] });

    const em = systemFork(t.orm.em);
    const account = em.create(ChannelAccount, { tenant: a.tenantId, channel: ChannelType.WEB, name: 'Main site' });
    const refund = em.create(ConversationTag, { tenant: a.tenantId, name: 'Refund', depth: 1 });
    const other = em.create(ConversationTag, { tenant: a.tenantId, name: 'Other', depth: 1 });
    await em.flush();
    accountId = account.id;
    refundTag = refund.id;
    otherTag = other.id;

    c1 = await converse(await widget(a, teamOne, accountId), agentOne, '我要退款谢谢');
    c2 = await converse(await widget(a, teamTwo), agentTwo, 'I want a REFUND please');
    c3 = await converse(await widget(a, teamOne), agentOne, '退款进度怎么样', { close: false });
    cB = await converse(await widget(b), b.admin, '我要退款谢谢');

    em.create(ConversationTagging, { tenant: a.tenantId, conversation: c1.conversationId, tag: refundTag });
    em.create(Transfer, {
      tenant: a.tenantId,
      conversation: c2.conversationId,
      requestedBy: agentTwo.id,
      fromUser: agentTwo.id,
      toUser: agentTwo.id,
      state: TransferState.COMPLETED,
    });
    // A declined offer did not move the conversation.
    em.create(Transfer, {
      tenant: a.tenantId,
      conversation: c1.conversationId,
      requestedBy: agentOne.id,
      fromUser: agentOne.id,
      toUser: agentTwo.id,
      state: TransferState.DECLINED,
    });
    em.create(Rating, { tenant: a.tenantId, conversation: c1.conversationId, stars: 5, ratedAt: new Date() });
    await em.flush();
  });
  afterAll(() => t.stop());

  it('lists closed conversations newest first with customer, agents, tags, transfer, channel and rating', async () => {
    const res = await t.ok(HistoryDocument, { first: 100 }, a.admin.token);
    expect(res.history.totalCount).toBe(2);
    expect(res.history.nodes.map((n) => n.id)).toEqual([c2.conversationId, c1.conversationId]);
    const [second, first] = res.history.nodes;
    expect(first).toMatchObject({
      state: 'CLOSED',
      channel: 'WEB',
      transferred: false,
      customer: { id: c1.customerId },
      agents: [{ id: agentOne.id }],
      tags: [{ id: refundTag, name: 'Refund' }],
      channelAccount: { id: accountId, name: 'Main site' },
      team: { id: teamOne },
      rating: { stars: 5 },
      closedAt: expect.any(String),
    });
    expect(second).toMatchObject({ transferred: true, tags: [], channelAccount: null, rating: null });

    const page = await t.ok(HistoryDocument, { first: 1 }, a.admin.token);
    expect(page.history.pageInfo.hasNextPage).toBe(true);
    const next = await t.ok(HistoryDocument, { first: 1, after: page.history.pageInfo.endCursor }, a.admin.token);
    expect(next.history.nodes.map((n) => n.id)).toEqual([c1.conversationId]);
    expect(next.history.totalCount).toBe(2);
  });

  it('filters by customer, agent, times, tags, transfer, channel, account and team', async () => {
    const admin = a.admin.token;
    const only = async (filter: HistoryFilter) => (await historyIds(admin, { filter })).ids;
    expect(await only({ customerId: c1.customerId })).toEqual([c1.conversationId]);
    expect(await only({ agentId: agentTwo.id })).toEqual([c2.conversationId]);
    expect(await only({ tagIds: [refundTag, otherTag] })).toEqual([c1.conversationId]);
    expect(await only({ tagIds: [otherTag] })).toEqual([]);
    expect(await only({ transferred: true })).toEqual([c2.conversationId]);
    expect(await only({ transferred: false })).toEqual([c1.conversationId]);
    expect(await only({ channel: 'WEB', channelAccountId: accountId })).toEqual([c1.conversationId]);
    expect(await only({ channel: 'APP' })).toEqual([]);
    expect(await only({ teamId: teamTwo })).toEqual([c2.conversationId]);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    expect((await only({ startedFrom: hourAgo, closedTo: inAnHour })).length).toBe(2);
    expect(await only({ startedFrom: inAnHour })).toEqual([]);
    const bad = await t.gql(HistoryDocument, { filter: { startedFrom: inAnHour, startedTo: hourAgo } }, admin);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    const byClose = await historyIds(admin, { orderBy: 'CLOSED' });
    expect(byClose.ids).toEqual([c2.conversationId, c1.conversationId]);
  });

  it('Agent Mode shows only the conversations the user served; Admin Mode needs ADMIN_HISTORY', async () => {
    expect(await historyIds(agentOne.token)).toEqual({ ids: [c1.conversationId], total: 1 });
    expect(await historyIds(agentTwo.token, { mode: 'AGENT' })).toEqual({ ids: [c2.conversationId], total: 1 });
    const refused = await t.gql(HistoryDocument, { mode: 'ADMIN' }, agentOne.token);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    // The admin never served anything.
    expect(await historyIds(a.admin.token, { mode: 'AGENT' })).toEqual({ ids: [], total: 0 });

    const detail = await t.ok(HistoryConversationDocument, { id: c1.conversationId }, agentOne.token);
    expect(detail.historyConversation.conversation!.messages.map((m) => m.text)).toContain('我要退款谢谢');
    expect(codeOf(await t.gql(HistoryConversationDocument, { id: c2.conversationId }, agentOne.token))).toBe(
      'NOT_FOUND',
    );
  });

  it('a TEAM-scoped role sees the history of its teams only: lists, counts, details and search', async () => {
    expect(await historyIds(teamAdmin.token)).toEqual({ ids: [c1.conversationId], total: 1 });
    expect(await historyIds(teamAdmin.token, { filter: { teamId: teamTwo } })).toEqual({ ids: [], total: 0 });

    const detail = await t.ok(HistoryConversationDocument, { id: c1.conversationId }, teamAdmin.token);
    expect(detail.historyConversation).toMatchObject({
      id: c1.conversationId,
      tags: [{ name: 'Refund' }],
      conversation: { state: 'CLOSED', rating: { stars: 5 }, transfers: [{ state: 'DECLINED' }] },
    });
    // The existing conversation query applies the same rule to closed conversations.
    expect((await t.ok(HistoryDetailDocument, { id: c1.conversationId }, teamAdmin.token)).conversation.id).toBe(
      c1.conversationId,
    );
    for (const id of [c2.conversationId, c3.conversationId]) {
      expect(codeOf(await t.gql(HistoryConversationDocument, { id }, teamAdmin.token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(HistoryDetailDocument, { id }, teamAdmin.token))).toBe('NOT_FOUND');
    }

    const hits = await hitsOf(teamAdmin.token, '退款');
    // The open conversation of the same team is Current sessions (ADMIN_MONITOR), which this role lacks.
    expect(hits.nodes.map((h) => h.conversationId)).toEqual([c1.conversationId]);
    expect(hits.totalCount).toBe(1);
    expect((await hitsOf(teamAdmin.token, 'refund')).totalCount).toBe(0);
  });

  it('searches message text by substring, Chinese included, with highlights, newest first', async () => {
    const hits = await hitsOf(a.admin.token, '退款');
    expect(hits.nodes.map((h) => h.conversationId)).toEqual([c3.conversationId, c1.conversationId]);
    expect(hits.totalCount).toBe(2);
    expect(hits.nodes[1]).toMatchObject({
      message: { text: '我要退款谢谢', senderKind: 'CUSTOMER', seq: expect.any(Number) },
      customer: { id: c1.customerId },
      highlights: [{ start: 2, length: 2 }],
    });

    const english = await hitsOf(a.admin.token, 'refund');
    expect(english.nodes.map((h) => h.message.text)).toEqual(['I want a REFUND please']);
    expect(english.nodes[0]!.highlights).toEqual([{ start: 9, length: 6 }]);
    // One character: no index pair, still found within the window.
    expect((await hitsOf(a.admin.token, '谢')).nodes.map((h) => h.conversationId)).toEqual([c1.conversationId]);
    // LIKE wildcards are plain characters.
    expect((await hitsOf(a.admin.token, '退_')).totalCount).toBe(0);
    expect((await hitsOf(a.admin.token, '%')).totalCount).toBe(0);

    // Agent Mode (AGENT_SEARCH): the user's own conversations, open ones included.
    const mine = await hitsOf(agentOne.token, '退款');
    expect(mine.nodes.map((h) => h.conversationId)).toEqual([c3.conversationId, c1.conversationId]);
    expect((await hitsOf(agentTwo.token, '退款')).totalCount).toBe(0);

    const filtered = await hitsOf(a.admin.token, '退款', { filter: { tagIds: [refundTag] } });
    expect(filtered.nodes.map((h) => h.conversationId)).toEqual([c1.conversationId]);
    const byAccount = await hitsOf(a.admin.token, '退款', { filter: { channelAccountId: accountId, channel: 'WEB' } });
    expect(byAccount.nodes.map((h) => h.conversationId)).toEqual([c1.conversationId]);

    expect(codeOf(await search(a.admin.token, '   '))).toBe('BAD_USER_INPUT');
    const tooLong = await search(a.admin.token, '退款', {
      filter: { from: '2020-01-01T00:00:00Z', to: '2022-01-01T00:00:00Z' },
    });
    expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');
  });

  it('searches the last 30 days unless given a window', async () => {
    const em = systemFork(t.orm.em);
    const old = await converse(await widget(a), agentTwo, '旧的退货问题');
    const longAgo = new Date(Date.now() - 40 * 24 * 3600_000);
    await em.nativeUpdate(Message, { conversation: old.conversationId }, { createdAt: longAgo });
    await em.nativeUpdate(Conversation, { id: old.conversationId }, { createdAt: longAgo });
    expect((await hitsOf(a.admin.token, '退货')).totalCount).toBe(0);
    const from = new Date(Date.now() - 60 * 24 * 3600_000).toISOString();
    const found = await hitsOf(a.admin.token, '退货', { filter: { from } });
    expect(found.nodes.map((h) => h.conversationId)).toEqual([old.conversationId]);
  });

  it('shows a customer’s earlier conversations to the agent serving them, not to other agents', async () => {
    const key = await widget(a, teamOne);
    const colleague = await createUser(t, a, { teamIds: [teamOne] });
    const earlier = await converse(key, colleague, 'first visit');
    const now = await converse(key, agentOne, 'back again', { close: false, resumeToken: earlier.visitorToken });
    expect(now.customerId).toBe(earlier.customerId);

    const record = await t.ok(CustomerInteractionsDocument, { customerId: now.customerId }, agentOne.token);
    expect(record.customerInteractions.nodes).toEqual([
      expect.objectContaining({
        id: earlier.conversationId,
        agents: [{ id: colleague.id }],
        closedAt: expect.any(String),
      }),
    ]);
    expect(record.customerInteractions.totalCount).toBe(1);

    // An agent who neither serves nor served the customer sees nothing of them.
    const stranger = await createUser(t, a, { teamIds: [teamOne] });
    expect(codeOf(await t.gql(CustomerInteractionsDocument, { customerId: now.customerId }, stranger.token))).toBe(
      'NOT_FOUND',
    );
    // The team-scoped admin sees the customer through their team's conversations.
    const scoped = await t.ok(CustomerInteractionsDocument, { customerId: now.customerId }, teamAdmin.token);
    expect(scoped.customerInteractions.totalCount).toBe(1);
    expect(codeOf(await t.gql(CustomerInteractionsDocument, { customerId: c2.customerId }, teamAdmin.token))).toBe(
      'NOT_FOUND',
    );
  });

  it('another tenant sees nothing: lists, counts, details, search and filters naming foreign ids', async () => {
    expect(await historyIds(b.admin.token)).toEqual({ ids: [cB.conversationId], total: 1 });
    const hits = await hitsOf(b.admin.token, '退款');
    expect(hits.nodes.map((h) => h.conversationId)).toEqual([cB.conversationId]);
    expect(hits.totalCount).toBe(1);
    for (const id of [c1.conversationId, c2.conversationId]) {
      expect(codeOf(await t.gql(HistoryConversationDocument, { id }, b.admin.token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(HistoryDetailDocument, { id }, b.admin.token))).toBe('NOT_FOUND');
    }
    expect(codeOf(await t.gql(CustomerInteractionsDocument, { customerId: c1.customerId }, b.admin.token))).toBe(
      'NOT_FOUND',
    );
    for (const filter of [{ teamId: teamOne }, { tagIds: [refundTag] }, { customerId: c1.customerId }]) {
      expect(codeOf(await t.gql(HistoryDocument, { filter }, b.admin.token))).toBe('NOT_FOUND');
    }
    expect(codeOf(await search(b.admin.token, '退款', { filter: { channelAccountId: accountId } }))).toBe('NOT_FOUND');
  });

  it('refuses a role without the pages (FORBIDDEN)', async () => {
    const role = await createRole(t, a, [Page.AGENT_CONVERSATIONS]);
    const user = await createUser(t, a, { roleId: role });
    expect(codeOf(await t.gql(HistoryDocument, {}, user.token))).toBe('FORBIDDEN');
    expect(codeOf(await search(user.token, '退款'))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(HistoryConversationDocument, { id: c1.conversationId }, user.token))).toBe('FORBIDDEN');
    // AGENT_HISTORY alone does not grant the search.
    const historyOnly = await createUser(t, a, { roleId: await createRole(t, a, [Page.AGENT_HISTORY]) });
    expect(codeOf(await search(historyOnly.token, '退款'))).toBe('FORBIDDEN');
  });
});
