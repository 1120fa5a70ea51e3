import { randomUUID } from 'node:crypto';
import { Page } from '../../../src/platform/auth/pages';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import {
  createRole,
  createTeam,
  createTenant,
  createUser,
  type TenantFixture,
  type UserFixture,
} from '../../factories';
import {
  ApprovalsDocument,
  CancelApprovalDocument,
  CreateApiKeyDocument,
  CreateWidgetConfigDocument,
  DecideApprovalDocument,
  LogoutDocument,
  MyApprovalsDocument,
  MyStatusLogsDocument,
  NotificationsDocument,
  PresenceSettingsDocument,
  SendVisitorMessageDocument,
  SetMaxConversationsDocument,
  SetMyStatusDocument,
  StartVisitorSessionDocument,
  StatusLogsDocument,
  type TenantSettingsInput,
  UserPresenceDocument,
  type UserStatus,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';
import { changesOf, eventually, sleep, statusOf } from './presence-helpers';

describe('presence over the API: status, approval, capacity, logs (PRE-1 to PRE-4, APR-1)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let other: TenantFixture;

  beforeAll(async () => {
    t = await startTestApp();
    [tenant, other] = await Promise.all([createTenant(t), createTenant(t)]);
  });
  afterAll(() => t.stop());

  const setStatus = (token: string, status: UserStatus, reason?: string) =>
    t.gql(SetMyStatusDocument, { status, reason }, token);
  const setStatusOk = async (token: string, status: UserStatus, reason?: string) =>
    (await t.ok(SetMyStatusDocument, { status, reason }, token)).setMyStatus;
  const settings = (of: TenantFixture, input: TenantSettingsInput) =>
    t.ok(PresenceSettingsDocument, { input }, of.admin.token);
  const notifications = async (token: string) =>
    (await t.ok(NotificationsDocument, { first: 50 }, token)).notifications;

  describe('setMyStatus (PRE-1)', () => {
    it('applies a chosen status at once and logs each change; choosing the current status again logs nothing', async () => {
      const agent = await createUser(t, tenant);
      for (const status of ['ONLINE', 'BUSY', 'BUSY', 'AWAY', 'INVISIBLE', 'ONLINE'] as const) {
        const result = await setStatusOk(agent.token, status);
        expect(result).toEqual({ user: { id: agent.id, status }, pendingApproval: null });
      }
      expect(await statusOf(t, agent.id)).toBe('ONLINE');
      const logs = (await t.ok(MyStatusLogsDocument, {}, agent.token)).myStatusLogs;
      expect(logs.totalCount).toBe(5);
      expect(logs.nodes.map((l) => [l.fromStatus, l.toStatus, l.reason, l.changedBy, l.user])).toEqual([
        ['INVISIBLE', 'ONLINE', 'MANUAL', null, agent.id],
        ['AWAY', 'INVISIBLE', 'MANUAL', null, agent.id],
        ['BUSY', 'AWAY', 'MANUAL', null, agent.id],
        ['ONLINE', 'BUSY', 'MANUAL', null, agent.id],
        ['OFFLINE', 'ONLINE', 'MANUAL', null, agent.id],
      ]);
    });

    it('refuses OFFLINE by hand with BAD_USER_INPUT naming the field, and changes nothing', async () => {
      const agent = await createUser(t, tenant);
      await setStatusOk(agent.token, 'BUSY');
      const res = await setStatus(agent.token, 'OFFLINE');
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe('status');
      expect(res.errors?.[0]?.message).toMatch(/signing out/);
      expect(await statusOf(t, agent.id)).toBe('BUSY');
    });

    it('is for signed-in users: an API key gets FORBIDDEN, no token UNAUTHENTICATED', async () => {
      const key = (
        await t.ok(CreateApiKeyDocument, { input: { name: 'Bot', roleId: tenant.adminRoleId } }, tenant.admin.token)
      ).createApiKey;
      expect(codeOf(await setStatus(key.secret, 'ONLINE'))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(MyStatusLogsDocument, {}, key.secret))).toBe('FORBIDDEN');
      expect(codeOf(await setStatus('', 'ONLINE'))).toBe('UNAUTHENTICATED');
    });
  });

  describe('status change approval (PRE-3, APR-1)', () => {
    let shop: TenantFixture;
    let approver: UserFixture;
    let bystander: UserFixture;

    beforeAll(async () => {
      shop = await createTenant(t);
      await settings(shop, { statusChangeNeedsApproval: true });
      approver = await createUser(t, shop, { roleId: await createRole(t, shop, [Page.ADMIN_APPROVALS]) });
      bystander = await createUser(t, shop);
    });

    const onlineAgent = async () => {
      const agent = await createUser(t, shop, { nickname: `Agent ${randomUUID().slice(0, 6)}` });
      // From OFFLINE, going ONLINE needs no approval.
      await setStatusOk(agent.token, 'ONLINE');
      return agent;
    };
    const requestBusy = async (agent: UserFixture, reason?: string) => {
      const { user, pendingApproval } = await setStatusOk(agent.token, 'BUSY', reason);
      expect(user.status).toBe('ONLINE');
      if (!pendingApproval) throw new Error('expected a pending approval');
      return pendingApproval;
    };
    const decide = (id: string, approve: boolean, remark?: string, token = shop.admin.token) =>
      t.gql(DecideApprovalDocument, { id, approve, remark }, token);

    it("turns an agent's change from ONLINE to BUSY into a pending request and alerts everyone who decides approvals", async () => {
      const agent = await onlineAgent();
      const pending = await requestBusy(agent, 'Lunch break');
      expect(pending).toMatchObject({
        kind: 'STATUS_CHANGE',
        state: 'PENDING',
        requester: agent.id,
        payload: { status: 'BUSY' },
        reason: 'Lunch break',
        decidedBy: null,
        requesterUser: { id: agent.id },
      });
      expect(await statusOf(t, agent.id)).toBe('ONLINE');

      for (const admin of [shop.admin, approver]) {
        const [alert] = (await notifications(admin.token)).nodes;
        expect(alert).toMatchObject({
          kind: 'SYSTEM',
          title: 'New approval request',
          subjectType: 'USER',
          subjectId: agent.id,
        });
        expect(alert?.body).toMatch(/asks to change their status to Busy\. Reason: Lunch break/);
      }
      // Neither the agent nor a colleague without the approvals page hears of it.
      expect((await notifications(bystander.token)).totalCount).toBe(0);
      expect((await notifications(agent.token)).totalCount).toBe(0);

      const pendingList = (await t.ok(ApprovalsDocument, { state: 'PENDING' }, approver.token)).approvals;
      expect(pendingList.nodes.find((a) => a.id === pending.id)).toMatchObject({
        requesterUser: { id: agent.id },
        decidedByUser: null,
      });
      const mine = (await t.ok(MyApprovalsDocument, {}, agent.token)).myApprovals;
      expect(mine.nodes.map((a) => [a.id, a.state])).toEqual([[pending.id, 'PENDING']]);
    });

    it('applies the status when an admin approves: logged as APPROVED by that admin, and the agent is notified', async () => {
      const agent = await onlineAgent();
      const pending = await requestBusy(agent);
      const decided = await decide(pending.id, true, 'Enjoy');
      expect(decided.data?.decideApproval).toMatchObject({
        id: pending.id,
        state: 'APPROVED',
        decidedBy: shop.admin.id,
        remark: 'Enjoy',
        decidedByUser: { id: shop.admin.id },
      });
      expect(await statusOf(t, agent.id)).toBe('BUSY');
      const logs = (await t.ok(StatusLogsDocument, { userId: agent.id }, shop.admin.token)).statusLogs.nodes;
      expect(logs[0]).toMatchObject({
        fromStatus: 'ONLINE',
        toStatus: 'BUSY',
        reason: 'APPROVED',
        changedBy: shop.admin.id,
      });
      const [note] = (await notifications(agent.token)).nodes;
      expect(note).toMatchObject({ kind: 'SYSTEM', title: 'Request approved' });
      expect(note?.body).toBe('An admin approved your request to change your status to Busy. Remark: Enjoy');
    });

    it('leaves the agent ONLINE when an admin rejects, and tells the agent why', async () => {
      const agent = await onlineAgent();
      const pending = await requestBusy(agent);
      const decided = await decide(pending.id, false, 'The queue is long', approver.token);
      expect(decided.data?.decideApproval).toMatchObject({ state: 'REJECTED', decidedBy: approver.id });
      expect(await statusOf(t, agent.id)).toBe('ONLINE');
      expect(await changesOf(t, agent.id)).toEqual(['OFFLINE>ONLINE:MANUAL']);
      const [note] = (await notifications(agent.token)).nodes;
      expect(note).toMatchObject({ title: 'Request rejected' });
      expect(note?.body).toMatch(/rejected your request to change your status to Busy\. Remark: The queue is long/);
    });

    it('keeps one wish at a time: a newer request cancels the pending one; a change needing no approval withdraws it', async () => {
      const agent = await onlineAgent();
      const first = await requestBusy(agent);
      const { pendingApproval: second } = await setStatusOk(agent.token, 'AWAY');
      expect(second).toMatchObject({ state: 'PENDING', payload: { status: 'AWAY' } });
      // Requests are numbered per tenant, each one after the last (APR-1).
      expect(second!.number).toBe(first.number + 1);
      const states = async () =>
        Object.fromEntries(
          (await t.ok(MyApprovalsDocument, {}, agent.token)).myApprovals.nodes.map((a) => [a.id, a.state]),
        );
      expect(await states()).toEqual({ [first.id]: 'CANCELLED', [second!.id]: 'PENDING' });
      // Staying ONLINE is a change that needs no approval: it withdraws the request.
      expect((await setStatusOk(agent.token, 'ONLINE')).pendingApproval).toBeNull();
      expect(await states()).toEqual({ [first.id]: 'CANCELLED', [second!.id]: 'CANCELLED' });
      expect(codeOf(await decide(second!.id, true))).toBe('CONFLICT');
      expect(await statusOf(t, agent.id)).toBe('ONLINE');
    });

    it('numbers requests per tenant without gaps or repeats, also when they arrive at once (APR-1)', async () => {
      const agents = await Promise.all(Array.from({ length: 8 }, () => onlineAgent()));
      const numbers = (await Promise.all(agents.map((a) => requestBusy(a)))).map((p) => p.number).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => numbers[0]! + i));
      // Another tenant counts from 1.
      const other = await createTenant(t);
      await settings(other, { statusChangeNeedsApproval: true });
      const agent = await createUser(t, other);
      await setStatusOk(agent.token, 'ONLINE');
      expect((await setStatusOk(agent.token, 'BUSY')).pendingApproval?.number).toBe(1);
    });

    it('needs no approval away from BUSY, back to ONLINE, or for admins', async () => {
      const agent = await onlineAgent();
      await decide((await requestBusy(agent)).id, true);
      expect((await setStatusOk(agent.token, 'AWAY')).pendingApproval).toBeNull();
      expect((await setStatusOk(agent.token, 'ONLINE')).pendingApproval).toBeNull();
      expect(await statusOf(t, agent.id)).toBe('ONLINE');

      const admin = await createUser(t, shop, { roleId: shop.adminRoleId });
      await setStatusOk(admin.token, 'ONLINE');
      expect(await setStatusOk(admin.token, 'INVISIBLE')).toEqual({
        user: { id: admin.id, status: 'INVISIBLE' },
        pendingApproval: null,
      });
    });

    it('decides a request once (then CONFLICT), never one’s own; the requester alone may cancel it', async () => {
      const agent = await onlineAgent();
      const pending = await requestBusy(agent);
      expect(codeOf(await t.gql(CancelApprovalDocument, { id: pending.id }, bystander.token))).toBe('NOT_FOUND');
      const cancelled = await t.ok(CancelApprovalDocument, { id: pending.id }, agent.token);
      expect(cancelled.cancelApproval.state).toBe('CANCELLED');
      const late = await decide(pending.id, true);
      expect(codeOf(late)).toBe('CONFLICT');
      expect(late.errors?.[0]?.message).toMatch(/cancelled/);
      expect(codeOf(await t.gql(CancelApprovalDocument, { id: pending.id }, agent.token))).toBe('CONFLICT');
      expect(await statusOf(t, agent.id)).toBe('ONLINE');

      const again = await requestBusy(agent);
      expect((await decide(again.id, true)).data?.decideApproval.state).toBe('APPROVED');
      expect(codeOf(await decide(again.id, false))).toBe('CONFLICT');
      expect(await statusOf(t, agent.id)).toBe('BUSY');

      // An approver who is not an admin is subject to approval, and may not decide their own request.
      await setStatusOk(approver.token, 'ONLINE');
      const own = await requestBusy(approver);
      expect(codeOf(await decide(own.id, true, undefined, approver.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(DecideApprovalDocument, { id: randomUUID(), approve: true }, shop.admin.token))).toBe(
        'NOT_FOUND',
      );
    });

    it('does not apply an approval once the agent has signed out', async () => {
      const agent = await onlineAgent();
      const pending = await requestBusy(agent);
      await t.ok(LogoutDocument, {}, agent.token);
      expect(await statusOf(t, agent.id)).toBe('OFFLINE');
      expect((await decide(pending.id, true)).data?.decideApproval.state).toBe('APPROVED');
      expect(await statusOf(t, agent.id)).toBe('OFFLINE');
      expect(await changesOf(t, agent.id)).toEqual(['OFFLINE>ONLINE:MANUAL', 'ONLINE>OFFLINE:SIGNED_OUT']);
    });

    it('wrong role: an agent cannot list or decide requests (FORBIDDEN); an API key cannot file one', async () => {
      const agent = await onlineAgent();
      const pending = await requestBusy(agent);
      expect(codeOf(await t.gql(ApprovalsDocument, {}, bystander.token))).toBe('FORBIDDEN');
      expect(codeOf(await decide(pending.id, true, undefined, bystander.token))).toBe('FORBIDDEN');
      const key = (
        await t.ok(CreateApiKeyDocument, { input: { name: 'Bot', roleId: shop.adminRoleId } }, shop.admin.token)
      ).createApiKey;
      expect(codeOf(await t.gql(MyApprovalsDocument, {}, key.secret))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(CancelApprovalDocument, { id: pending.id }, key.secret))).toBe('FORBIDDEN');
      // An API key with the approvals page decides; nobody is named as the decider.
      expect((await decide(pending.id, false, undefined, key.secret)).data?.decideApproval).toMatchObject({
        state: 'REJECTED',
        decidedBy: null,
      });
    });

    it("cross-tenant: another tenant's admin gets NOT_FOUND for a request and never sees it", async () => {
      const agent = await onlineAgent();
      const pending = await requestBusy(agent);
      const foreign = await decide(pending.id, true, undefined, other.admin.token);
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      expect(foreign.errors?.[0]?.message).toBe(
        (await decide(randomUUID(), true, undefined, other.admin.token)).errors?.[0]?.message,
      );
      expect((await t.ok(ApprovalsDocument, {}, other.admin.token)).approvals.totalCount).toBe(0);
      expect((await notifications(other.admin.token)).nodes.some((n) => n.subjectId === agent.id)).toBe(false);
      expect(await statusOf(t, agent.id)).toBe('ONLINE');
      expect(
        (
          await t.ok(ApprovalsDocument, { state: 'PENDING', kind: 'STATUS_CHANGE' }, shop.admin.token)
        ).approvals.nodes.map((a) => a.id),
      ).toContain(pending.id);
    });
  });

  describe('max conversations (PRE-2)', () => {
    const setMax = (userId: string, max: number, token: string) =>
      t.gql(SetMaxConversationsDocument, { userId, max }, token);
    const maxOf = async (userId: string) =>
      (await t.ok(UserPresenceDocument, { id: userId }, tenant.admin.token)).user.maxConversations;

    it('lets only admins change it by default; an admin’s change notifies the agent', async () => {
      const agent = await createUser(t, tenant, { maxConversations: 5 });
      const own = await setMax(agent.id, 9, agent.token);
      expect(codeOf(own)).toBe('FORBIDDEN');
      expect(own.errors?.[0]?.message).toMatch(/Only an admin can change your maximum conversations/);
      expect(await maxOf(agent.id)).toBe(5);

      const set = await setMax(agent.id, 8, tenant.admin.token);
      expect(set.data?.setMaxConversations).toEqual({ id: agent.id, maxConversations: 8 });
      const [note] = (await notifications(agent.token)).nodes;
      expect(note).toMatchObject({ kind: 'CAPACITY_CHANGED', subjectType: 'USER', subjectId: agent.id });
      expect(note?.body).toBe('An admin set your maximum conversations to 8 (it was 5).');
      // The same value again changes nothing and notifies nobody.
      await setMax(agent.id, 8, tenant.admin.token);
      expect((await notifications(agent.token)).totalCount).toBe(1);

      const admin = await createUser(t, tenant, { roleId: tenant.adminRoleId });
      expect((await setMax(admin.id, 2, admin.token)).data?.setMaxConversations.maxConversations).toBe(2);
      expect((await notifications(admin.token)).totalCount).toBe(0);
    });

    it('lets agents change their own when the capacity editor is AGENT, without a notification, but not a colleague’s', async () => {
      const team = await createTenant(t);
      await settings(team, { capacityEditor: 'AGENT' });
      const agent = await createUser(t, team, { maxConversations: 5 });
      const colleague = await createUser(t, team, { maxConversations: 5 });
      expect((await setMax(agent.id, 0, agent.token)).data?.setMaxConversations.maxConversations).toBe(0);
      expect((await notifications(agent.token)).totalCount).toBe(0);
      const theirs = await setMax(colleague.id, 1, agent.token);
      expect(codeOf(theirs)).toBe('FORBIDDEN');
      expect(theirs.errors?.[0]?.message).toMatch(/ADMIN_USERS/);
      // A role with the Users page may change anyone's.
      const manager = await createUser(t, team, { roleId: await createRole(t, team, [Page.ADMIN_USERS]) });
      expect((await setMax(colleague.id, 3, manager.token)).data?.setMaxConversations.maxConversations).toBe(3);
      expect((await notifications(colleague.token)).nodes[0]?.kind).toBe('CAPACITY_CHANGED');
    });

    it('accepts 0 to 100 only, naming the field', async () => {
      const agent = await createUser(t, tenant);
      for (const max of [-1, 101]) {
        const res = await setMax(agent.id, max, tenant.admin.token);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(JSON.stringify(res.errors)).toContain('max');
      }
      expect((await setMax(agent.id, 100, tenant.admin.token)).data?.setMaxConversations.maxConversations).toBe(100);
    });

    it('raising it lets a waiting conversation reach the agent (the engine is told after the commit)', async () => {
      const support = await createTeam(t, tenant);
      const agent = await createUser(t, tenant, { teamIds: [support], maxConversations: 0 });
      await setStatusOk(agent.token, 'ONLINE');
      const widget = (
        await t.ok(CreateWidgetConfigDocument, { input: { name: 'Shop', entryTeamId: support } }, tenant.admin.token)
      ).createWidgetConfig;
      const visitor = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey: widget.publicKey } }))
        .startVisitorSession;
      const conversation = (
        await t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'hello?' } }, visitor.token)
      ).sendVisitorMessage.conversation;
      const agentOf = async () => {
        const rows = await systemFork(t.orm.em).execute<{ user_id: string }[]>(
          'select user_id from conversation_agent where tenant_id = ? and conversation_id = ?',
          [tenant.tenantId, conversation],
        );
        return rows[0]?.user_id ?? null;
      };
      await sleep(300);
      expect(await agentOf()).toBeNull();

      const freed = jest.spyOn(t.services.assignment, 'agentFreed');
      try {
        // Lowering gives no room: the engine is not asked.
        await t.ok(SetMaxConversationsDocument, { userId: agent.id, max: 0 }, tenant.admin.token);
        expect(freed).not.toHaveBeenCalled();
        await t.ok(SetMaxConversationsDocument, { userId: agent.id, max: 1 }, tenant.admin.token);
        expect(freed).toHaveBeenCalledWith(tenant.tenantId, agent.id);
      } finally {
        freed.mockRestore();
      }
      await eventually(async () => (await agentOf()) === agent.id, 10_000, 'the assignment');
    });

    it("wrong role and cross-tenant: an agent cannot set a colleague's (FORBIDDEN); another tenant's admin gets NOT_FOUND", async () => {
      const agent = await createUser(t, tenant, { maxConversations: 4 });
      const colleague = await createUser(t, tenant);
      expect(codeOf(await setMax(agent.id, 1, colleague.token))).toBe('FORBIDDEN');
      const foreign = await setMax(agent.id, 1, other.admin.token);
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      expect(foreign.errors?.[0]?.message).toBe(
        (await setMax(randomUUID(), 1, other.admin.token)).errors?.[0]?.message,
      );
      expect(await maxOf(agent.id)).toBe(4);
      expect((await notifications(agent.token)).totalCount).toBe(0);
    });
  });

  describe('status logs (PRE-4)', () => {
    it('admins with the Users or Statistics page read anyone’s changes within a time window, newest first', async () => {
      const agent = await createUser(t, tenant);
      const stamps: string[] = [];
      for (const status of ['ONLINE', 'BUSY', 'AWAY', 'ONLINE'] as const) {
        await setStatusOk(agent.token, status);
        stamps.push(new Date().toISOString());
        await sleep(15);
      }
      const analyst = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.ADMIN_STATISTICS]) });
      for (const token of [tenant.admin.token, analyst.token]) {
        const all = (await t.ok(StatusLogsDocument, { userId: agent.id }, token)).statusLogs;
        expect(all.nodes.map((l) => l.toStatus)).toEqual(['ONLINE', 'AWAY', 'BUSY', 'ONLINE']);
      }
      const window = (
        await t.ok(StatusLogsDocument, { userId: agent.id, from: stamps[0], to: stamps[2] }, tenant.admin.token)
      ).statusLogs;
      expect(window.nodes.map((l) => l.toStatus)).toEqual(['AWAY', 'BUSY']);
      const paged = (await t.ok(StatusLogsDocument, { userId: agent.id, first: 3 }, tenant.admin.token)).statusLogs;
      expect(paged.pageInfo.hasNextPage).toBe(true);
      const rest = await t.ok(
        StatusLogsDocument,
        { userId: agent.id, first: 3, after: paged.pageInfo.endCursor },
        tenant.admin.token,
      );
      expect(rest.statusLogs.nodes.map((l) => l.fromStatus)).toEqual(['OFFLINE']);
      // Without a user: the whole tenant.
      const tenantWide = (await t.ok(StatusLogsDocument, { first: 100 }, tenant.admin.token)).statusLogs;
      expect(tenantWide.nodes.filter((l) => l.user === agent.id)).toHaveLength(4);
    });

    it('refuses a window that ends before it starts, naming `to`', async () => {
      const res = await t.gql(
        StatusLogsDocument,
        { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
        tenant.admin.token,
      );
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe('to');
    });

    it("wrong role: an agent reads only their own (FORBIDDEN for others'); cross-tenant: NOT_FOUND, nothing leaks", async () => {
      const agent = await createUser(t, tenant);
      await setStatusOk(agent.token, 'ONLINE');
      const colleague = await createUser(t, tenant);
      expect(codeOf(await t.gql(StatusLogsDocument, { userId: agent.id }, colleague.token))).toBe('FORBIDDEN');
      expect((await t.ok(MyStatusLogsDocument, {}, colleague.token)).myStatusLogs.totalCount).toBe(0);
      const foreign = await t.gql(StatusLogsDocument, { userId: agent.id }, other.admin.token);
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      const everything = (await t.ok(StatusLogsDocument, { first: 100 }, other.admin.token)).statusLogs;
      expect(everything.nodes.some((l) => l.user === agent.id)).toBe(false);
    });
  });
});
