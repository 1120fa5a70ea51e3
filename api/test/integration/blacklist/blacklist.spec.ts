import { Page } from '../../../src/platform/auth/pages';
import { createRole, createTenant, createUser, type TenantFixture, type UserFixture } from '../../factories';
import {
  BlacklistCustomerDocument,
  type BlacklistCustomerInput,
  BlacklistedCustomersDocument,
  BlacklistLogDocument,
  ConversationClosedDocument,
  CreateWidgetConfigDocument,
  DecideBlacklistApprovalDocument,
  JoinConversationDocument,
  RemoveFromBlacklistDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
  UpdateBlacklistSettingsDocument,
} from '../../graphql/generated';
import { codeOf, type GraphQLResponse, startTestApp, type TestApp } from '../../support/test-app';

const reasonOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.reason;

describe('blacklist (CNV-8, HIS-5)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let widgetKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    widgetKey = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Website' } }, tenant.admin.token))
      .createWidgetConfig.publicKey;
  });
  afterAll(() => t.stop());

  const needsApproval = (on: boolean) =>
    t.ok(UpdateBlacklistSettingsDocument, { needsApproval: on }, tenant.admin.token);
  const visitor = async (extra: { resumeToken?: string } = {}, key = widgetKey) =>
    t.gql(StartVisitorSessionDocument, { input: { widgetKey: key, ...extra } });
  const say = (token: string, text: string) =>
    t.gql(SendVisitorMessageDocument, { input: { type: 'TEXT', text } }, token);

  /** A customer in a conversation that a fresh agent serves. */
  const served = async () => {
    const session = (await visitor()).data!.startVisitorSession;
    const conversationId = (await say(session.token, 'Hello')).data!.sendVisitorMessage.conversation;
    const agent = await createUser(t, tenant);
    await t.ok(JoinConversationDocument, { id: conversationId }, agent.token);
    return { session, customerId: session.customer.id, conversationId, agent };
  };
  const blacklist = (input: BlacklistCustomerInput, as: UserFixture) =>
    t.gql(BlacklistCustomerDocument, { input }, as.token);
  const stateOf = async (conversationId: string) =>
    (await t.ok(ConversationClosedDocument, { id: conversationId }, tenant.admin.token)).conversation;
  const logOf = async (customerId: string, token = tenant.admin.token) =>
    (await t.ok(BlacklistLogDocument, { customerId }, token)).blacklistLog.nodes;

  it('blacklists: the open conversation closes, new sessions and conversations are refused, the log records it', async () => {
    await needsApproval(false);
    const { session, customerId, conversationId, agent } = await served();
    const res = await blacklist({ customerId, reason: '  Abusive language  ', conversationId }, agent);
    expect(res.errors).toBeUndefined();
    expect(res.data!.blacklistCustomer).toMatchObject({
      customer: { id: customerId, blacklistedAt: expect.any(String), blacklistReason: 'Abusive language' },
      pendingApproval: null,
    });
    expect(await stateOf(conversationId)).toMatchObject({
      state: 'CLOSED',
      closeReason: 'BLACKLISTED',
      closedBy: 'AGENT',
    });

    const refusedMessage = await say(session.token, 'let me in');
    expect(codeOf(refusedMessage)).toBe('FORBIDDEN');
    expect(reasonOf(refusedMessage)).toBe('BLACKLISTED');
    const refusedSession = await visitor({ resumeToken: session.token });
    expect(codeOf(refusedSession)).toBe('FORBIDDEN');
    expect(reasonOf(refusedSession)).toBe('BLACKLISTED');

    expect(await logOf(customerId)).toEqual([
      expect.objectContaining({
        action: 'ADDED',
        customer: customerId,
        operator: agent.id,
        reason: 'Abusive language',
        customerProfile: { id: customerId, externalId: session.customer.externalId },
        operatorUser: expect.objectContaining({ id: agent.id }),
      }),
    ]);
    const again = await blacklist({ customerId, reason: 'twice' }, tenant.admin);
    expect(codeOf(again)).toBe('CONFLICT');
    expect(reasonOf(again)).toBe('ALREADY_BLACKLISTED');
  });

  it('refuses only the blacklisted customer among first messages that arrive together', async () => {
    await needsApproval(false);
    const { session, customerId, agent } = await served();
    expect((await blacklist({ customerId, reason: 'Spam' }, agent)).errors).toBeUndefined();
    const others = await Promise.all(
      Array.from({ length: 6 }, async () => (await visitor()).data!.startVisitorSession),
    );
    const results = await Promise.all([
      say(session.token, 'once more'),
      ...others.map((o, i) => say(o.token, `hello ${i}`)),
    ]);
    expect(reasonOf(results[0]!)).toBe('BLACKLISTED');
    const opened = results.slice(1).map((r) => r.data?.sendVisitorMessage.conversation);
    expect(new Set(opened).size).toBe(others.length);
    expect(opened.every((id) => typeof id === 'string')).toBe(true);
  });

  it('lists blacklisted customers newest first, with search, to admins and to the agents who served them', async () => {
    await needsApproval(false);
    const first = await served();
    const second = await served();
    await blacklist({ customerId: first.customerId, reason: 'spam' }, tenant.admin);
    await blacklist({ customerId: second.customerId, reason: 'fraud' }, tenant.admin);
    const adminView = (await t.ok(BlacklistedCustomersDocument, { first: 100 }, tenant.admin.token))
      .blacklistedCustomers;
    const ids = adminView.nodes.map((c) => c.id);
    expect(ids.indexOf(second.customerId)).toBeLessThan(ids.indexOf(first.customerId));
    expect(ids.indexOf(first.customerId)).toBeGreaterThanOrEqual(0);

    const externalId = first.session.customer.externalId;
    const found = await t.ok(
      BlacklistedCustomersDocument,
      { search: externalId.slice(-8).toUpperCase() },
      tenant.admin.token,
    );
    expect(found.blacklistedCustomers.nodes.map((c) => c.id)).toEqual([first.customerId]);

    // Agent Mode: only the customers the agent served.
    const agentView = await t.ok(BlacklistedCustomersDocument, { first: 100 }, first.agent.token);
    expect(agentView.blacklistedCustomers.nodes.map((c) => c.id)).toEqual([first.customerId]);
    const agentLog = await t.ok(BlacklistLogDocument, { first: 100 }, first.agent.token);
    expect(new Set(agentLog.blacklistLog.nodes.map((e) => e.customer))).toEqual(new Set([first.customerId]));
    expect(codeOf(await t.gql(BlacklistLogDocument, { customerId: second.customerId }, first.agent.token))).toBe(
      'NOT_FOUND',
    );

    const page = (await t.ok(BlacklistedCustomersDocument, { first: 1 }, tenant.admin.token)).blacklistedCustomers;
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await t.ok(
      BlacklistedCustomersDocument,
      { first: 1, after: page.pageInfo.endCursor },
      tenant.admin.token,
    );
    expect(next.blacklistedCustomers.nodes[0]!.id).toBe(ids[1]);
  });

  it('removal is logged and lets the customer open conversations again', async () => {
    await needsApproval(false);
    const { session, customerId, agent } = await served();
    await blacklist({ customerId, reason: 'mistake' }, agent);
    const removed = await t.ok(RemoveFromBlacklistDocument, { customerId, reason: 'Apologised' }, agent.token);
    expect(removed.removeFromBlacklist).toMatchObject({ id: customerId, blacklistedAt: null, blacklistReason: null });

    const resumed = await visitor({ resumeToken: session.token });
    expect(resumed.errors).toBeUndefined();
    const reopened = await say(resumed.data!.startVisitorSession.token, 'thank you');
    expect(reopened.errors).toBeUndefined();
    expect(await stateOf(reopened.data!.sendVisitorMessage.conversation)).toMatchObject({ state: 'QUEUED' });

    expect((await logOf(customerId)).map((e) => [e.action, e.operator, e.reason])).toEqual([
      ['REMOVED', agent.id, 'Apologised'],
      ['ADDED', agent.id, 'mistake'],
    ]);
    const notListed = await t.gql(RemoveFromBlacklistDocument, { customerId }, tenant.admin.token);
    expect(codeOf(notListed)).toBe('CONFLICT');
    expect(reasonOf(notListed)).toBe('NOT_BLACKLISTED');
  });

  it('validates the reason and the conversation', async () => {
    await needsApproval(false);
    const { customerId, agent } = await served();
    const other = await served();
    for (const reason of ['', '   ', 'x'.repeat(501)]) {
      const res = await blacklist({ customerId, reason }, agent);
      expect({ reason: reason.slice(0, 5), code: codeOf(res), field: res.errors?.[0]?.extensions?.field }).toEqual({
        reason: reason.slice(0, 5),
        code: 'BAD_USER_INPUT',
        field: 'reason',
      });
    }
    const wrongConversation = await blacklist(
      { customerId, reason: 'spam', conversationId: other.conversationId },
      tenant.admin,
    );
    expect(codeOf(wrongConversation)).toBe('NOT_FOUND');
    expect(wrongConversation.errors?.[0]?.extensions?.field).toBe('conversationId');
    const tooLong = await t.gql(RemoveFromBlacklistDocument, { customerId, reason: 'x'.repeat(501) }, agent.token);
    expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');
  });

  describe('with approval required', () => {
    it("holds an agent's addition until an admin approves it; then applies it and closes the conversation", async () => {
      await needsApproval(true);
      const { session, customerId, conversationId, agent } = await served();
      const requested = await blacklist({ customerId, reason: 'Threats', conversationId }, agent);
      expect(requested.errors).toBeUndefined();
      const { pendingApproval, customer } = requested.data!.blacklistCustomer;
      expect(customer.blacklistedAt).toBeNull();
      expect(pendingApproval).toMatchObject({
        kind: 'BLACKLIST',
        state: 'PENDING',
        requester: agent.id,
        reason: 'Threats',
      });
      expect(await stateOf(conversationId)).toMatchObject({ state: 'ONGOING' });
      expect(await logOf(customerId)).toEqual([]);
      // Asking again while it is pending returns the same request.
      const repeated = await blacklist({ customerId, reason: 'Threats again' }, agent);
      expect(repeated.data!.blacklistCustomer.pendingApproval?.id).toBe(pendingApproval!.id);

      const decided = await t.ok(
        DecideBlacklistApprovalDocument,
        { id: pendingApproval!.id, approve: true },
        tenant.admin.token,
      );
      expect(decided.decideApproval.state).toBe('APPROVED');
      expect(await stateOf(conversationId)).toMatchObject({ state: 'CLOSED', closeReason: 'BLACKLISTED' });
      expect(codeOf(await say(session.token, 'hello?'))).toBe('FORBIDDEN');
      const [entry] = await logOf(customerId);
      expect(entry).toMatchObject({ action: 'ADDED', operator: tenant.admin.id });
      expect(entry!.reason).toMatch(/^Threats \(requested by .+, approved\)$/);
    });

    it('leaves the customer as they were when the request is rejected', async () => {
      await needsApproval(true);
      const { session, customerId, conversationId, agent } = await served();
      const { pendingApproval } = (await blacklist({ customerId, reason: 'Rude' }, agent)).data!.blacklistCustomer;
      await t.ok(DecideBlacklistApprovalDocument, { id: pendingApproval!.id, approve: false }, tenant.admin.token);
      expect(await stateOf(conversationId)).toMatchObject({ state: 'ONGOING' });
      expect((await say(session.token, 'still here')).errors).toBeUndefined();
      expect(await logOf(customerId)).toEqual([]);
      const listed = await t.ok(BlacklistedCustomersDocument, { first: 100 }, tenant.admin.token);
      expect(listed.blacklistedCustomers.nodes.map((c) => c.id)).not.toContain(customerId);
    });

    it('lets an admin blacklist directly', async () => {
      await needsApproval(true);
      const { customerId, conversationId } = await served();
      const res = await blacklist({ customerId, reason: 'Known fraudster' }, tenant.admin);
      expect(res.data!.blacklistCustomer).toMatchObject({
        pendingApproval: null,
        customer: { blacklistedAt: expect.any(String) },
      });
      expect(await stateOf(conversationId)).toMatchObject({ state: 'CLOSED', closeReason: 'BLACKLISTED' });
    });
  });

  describe('isolation and roles', () => {
    it("answers NOT_FOUND for another tenant's customers and for customers an agent never served", async () => {
      await needsApproval(false);
      const { customerId, agent } = await served();
      await blacklist({ customerId, reason: 'spam' }, agent);
      const other = await createTenant(t);
      expect(codeOf(await blacklist({ customerId, reason: 'x' }, other.admin))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(RemoveFromBlacklistDocument, { customerId }, other.admin.token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(BlacklistLogDocument, { customerId }, other.admin.token))).toBe('NOT_FOUND');
      const theirs = await t.ok(BlacklistedCustomersDocument, { first: 100 }, other.admin.token);
      expect(theirs.blacklistedCustomers.totalCount).toBe(0);
      const theirLog = await t.ok(BlacklistLogDocument, { first: 100 }, other.admin.token);
      expect(theirLog.blacklistLog.totalCount).toBe(0);

      const stranger = await createUser(t, tenant);
      const fresh = await served();
      expect(codeOf(await blacklist({ customerId: fresh.customerId, reason: 'x' }, stranger))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(RemoveFromBlacklistDocument, { customerId }, stranger.token))).toBe('NOT_FOUND');
      // Still blacklisted: nothing was changed by the refused calls.
      expect((await logOf(customerId)).map((e) => e.action)).toEqual(['ADDED']);
    });

    it('refuses roles without the pages, and visitors (FORBIDDEN)', async () => {
      await needsApproval(false);
      const { session, customerId } = await served();
      const queueOnly = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.AGENT_QUEUE]) });
      expect(codeOf(await blacklist({ customerId, reason: 'x' }, queueOnly))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(RemoveFromBlacklistDocument, { customerId }, queueOnly.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(BlacklistedCustomersDocument, {}, queueOnly.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(BlacklistLogDocument, {}, queueOnly.token))).toBe('FORBIDDEN');
      const chatOnly = await createUser(t, tenant, {
        roleId: await createRole(t, tenant, [Page.AGENT_CONVERSATIONS, Page.AGENT_QUEUE]),
      });
      expect(codeOf(await t.gql(BlacklistLogDocument, {}, chatOnly.token))).toBe('FORBIDDEN');
      expect(
        codeOf(await t.gql(BlacklistCustomerDocument, { input: { customerId, reason: 'x' } }, session.token)),
      ).toBe('FORBIDDEN');
    });
  });
});
