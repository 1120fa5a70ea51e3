import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { Page } from '../../../src/platform/auth/pages';
import {
  createRole,
  createTeam,
  createTenant,
  createUser,
  type TenantFixture,
  type UserFixture,
} from '../../factories';
import {
  CloseConversationDocument,
  CreateWidgetConfigDocument,
  JoinConversationDocument,
  MarkNotificationsReadDocument,
  NoticesDocument,
  NotificationAddedDocument,
  type NotificationAddedSubscription,
  NotificationsDocument,
  type NotificationsQueryVariables,
  SendNoticeDocument,
  type SendNoticeInput,
  SendVisitorMessageDocument,
  SetUserEnabledDocument,
  StartVisitorSessionDocument,
  TimedConversationDocument,
  UpdateTimerSettingsDocument,
  UpdateUserDocument,
} from '../../graphql/generated';
import { connectWs, live, type Live } from '../../support/live';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notices and system messages (NTF-1)', () => {
  let t: TestApp;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.stop();
  });

  const inbox = async (token: string, vars: NotificationsQueryVariables = {}) => {
    const data = await t.ok(NotificationsDocument, { first: 100, ...vars }, token);
    return { ...data.notifications, unread: data.unreadNotificationCount };
  };
  const send = (token: string, input: SendNoticeInput) => t.gql(SendNoticeDocument, { input }, token);
  const sent = async (token: string, input: SendNoticeInput) =>
    (await t.ok(SendNoticeDocument, { input }, token)).sendNotice;
  const noticesIn = async (token: string, title: string) =>
    (await inbox(token)).nodes.filter((n) => n.kind === 'NOTICE' && n.title === title);

  /** A live notificationAdded subscription, probed (with capacity changes) until events get through. */
  async function subscribed(tenant: TenantFixture, user: UserFixture): Promise<Live<NotificationAddedSubscription>> {
    const client = connectWs(t, user.token);
    clients.push(client);
    const sub = live(client, NotificationAddedDocument, {});
    for (let i = 1; i <= 20 && sub.received.length === 0; i++) {
      await t.ok(UpdateUserDocument, { id: user.id, input: { maxConversations: i } }, tenant.admin.token);
      await sleep(100);
    }
    if (!sub.received.length) throw new Error('the subscription never became live');
    await sleep(150);
    sub.received.splice(0);
    return sub;
  }

  describe('admin notices', () => {
    let tenant: TenantFixture;
    let teamA: string;
    let teamB: string;
    let amy: UserFixture;
    let ben: UserFixture;
    let chen: UserFixture;
    let gone: UserFixture;

    beforeAll(async () => {
      tenant = await createTenant(t);
      [teamA, teamB] = await Promise.all([createTeam(t, tenant), createTeam(t, tenant)]);
      amy = await createUser(t, tenant, { teamIds: [teamA] });
      ben = await createUser(t, tenant, { teamIds: [teamA, teamB] });
      chen = await createUser(t, tenant, { teamIds: [teamB] });
      gone = await createUser(t, tenant, { teamIds: [teamA] });
      await t.ok(SetUserEnabledDocument, { id: gone.id, enabled: false }, tenant.admin.token);
    });

    it('sends a notice to everyone: each enabled user gets it, live, with a link to the notice', async () => {
      const sub = await subscribed(tenant, amy);
      const notice = await sent(tenant.admin.token, {
        title: '  System maintenance tonight ',
        body: 'From 22:00 to 23:00 the console is read-only.\n<b>not markup</b>',
        everyone: true,
      });
      // The admin, Amy, Ben and Chen; the disabled user is left out.
      expect(notice).toMatchObject({
        title: 'System maintenance tonight',
        body: 'From 22:00 to 23:00 the console is read-only.\n<b>not markup</b>',
        recipientCount: 4,
        sender: tenant.admin.id,
        senderUser: { id: tenant.admin.id },
      });

      const [pushed] = await sub.waitFor(1);
      expect(pushed!.notificationAdded).toMatchObject({
        kind: 'NOTICE',
        title: 'System maintenance tonight',
        subjectType: 'NOTICE',
        subjectId: notice.id,
        link: `/notices/${notice.id}`,
      });
      expect(new Date(pushed!.notificationAdded.createdAt).getTime()).not.toBeNaN();
      sub.stop();

      for (const user of [tenant.admin, amy, ben, chen]) {
        const got = await noticesIn(user.token, 'System maintenance tonight');
        expect(got).toHaveLength(1);
        expect(got[0]).toMatchObject({ subjectId: notice.id, readAt: null, body: notice.body });
      }
    });

    it('sends to the enabled members of teams, and to users, each once', async () => {
      const toTeam = await sent(tenant.admin.token, { title: 'Team B only', body: 'Hello B', teamIds: [teamB] });
      expect(toTeam.recipientCount).toBe(2);
      expect(await noticesIn(ben.token, 'Team B only')).toHaveLength(1);
      expect(await noticesIn(chen.token, 'Team B only')).toHaveLength(1);
      expect(await noticesIn(amy.token, 'Team B only')).toHaveLength(0);

      const toUsers = await sent(tenant.admin.token, { title: 'Just you two', body: 'Hi', userIds: [amy.id, chen.id] });
      expect(toUsers.recipientCount).toBe(2);
      expect(await noticesIn(ben.token, 'Just you two')).toHaveLength(0);
      expect(await noticesIn(chen.token, 'Just you two')).toHaveLength(1);

      // Ben is in both teams and named too: one notification. The disabled member of team A gets none.
      const mixed = await sent(tenant.admin.token, {
        title: 'Mixed',
        body: 'Hi',
        teamIds: [teamA, teamB],
        userIds: [ben.id],
      });
      expect(mixed.recipientCount).toBe(3);
      expect(await noticesIn(ben.token, 'Mixed')).toHaveLength(1);
      expect(await noticesIn(tenant.admin.token, 'Mixed')).toHaveLength(0);
    });

    it('lists sent notices newest first for admins', async () => {
      const list = (await t.ok(NoticesDocument, { first: 100 }, tenant.admin.token)).notices;
      expect(list.nodes.map((n) => n.title)).toEqual([
        'Mixed',
        'Just you two',
        'Team B only',
        'System maintenance tonight',
      ]);
      expect(list.totalCount).toBe(4);
      expect(list.nodes.map((n) => n.recipientCount)).toEqual([3, 2, 2, 4]);
    });

    it('separates notices from system messages, in the list and the unread count', async () => {
      await t.ok(UpdateUserDocument, { id: chen.id, input: { maxConversations: 7 } }, tenant.admin.token);
      const notices = await inbox(chen.token, { group: 'NOTICES' });
      const system = await inbox(chen.token, { group: 'SYSTEM' });
      expect(notices.nodes.map((n) => n.title)).toEqual([
        'Mixed',
        'Just you two',
        'Team B only',
        'System maintenance tonight',
      ]);
      expect(notices.unread).toBe(4);
      expect(system.nodes.map((n) => n.kind)).toEqual(['CAPACITY_CHANGED']);
      expect(system.nodes[0]!.link).toBe(`/users/${chen.id}`);
      expect(system.unread).toBe(1);
      expect((await inbox(chen.token)).unread).toBe(5);

      // Mark all read (kept permanently), then the unread-only filter with a group.
      expect((await t.ok(MarkNotificationsReadDocument, {}, chen.token)).markNotificationsRead).toBe(5);
      expect((await inbox(chen.token, { group: 'NOTICES', unreadOnly: true })).totalCount).toBe(0);
      expect((await inbox(chen.token, { group: 'NOTICES' })).totalCount).toBe(4);
    });

    it('validates the notice and its recipients, sending nothing on error', async () => {
      const admin = tenant.admin.token;
      const before = (await t.ok(NoticesDocument, {}, admin)).notices.totalCount;
      const cases: [SendNoticeInput, string, string?][] = [
        [{ title: 't'.repeat(201), body: 'b', everyone: true }, 'BAD_USER_INPUT'],
        [{ title: 'ok', body: 'b'.repeat(5001), everyone: true }, 'BAD_USER_INPUT'],
        [{ title: '   ', body: 'b', everyone: true }, 'BAD_USER_INPUT'],
        [{ title: 'ok', body: 'b' }, 'BAD_USER_INPUT', 'NO_RECIPIENTS'],
        [{ title: 'ok', body: 'b', userIds: [] }, 'BAD_USER_INPUT', 'NO_RECIPIENTS'],
        [{ title: 'ok', body: 'b', everyone: true, teamIds: [teamA] }, 'BAD_USER_INPUT', 'EVERYONE_AND_LIST'],
        [{ title: 'ok', body: 'b', teamIds: [await createTeam(t, tenant)] }, 'BAD_USER_INPUT', 'NOBODY_TO_NOTIFY'],
        [{ title: 'ok', body: 'b', userIds: [amy.id, randomUUID()] }, 'NOT_FOUND', 'USER_NOT_FOUND'],
        [{ title: 'ok', body: 'b', userIds: [gone.id] }, 'NOT_FOUND', 'USER_NOT_FOUND'],
        [{ title: 'ok', body: 'b', teamIds: [teamA, randomUUID()] }, 'NOT_FOUND', 'TEAM_NOT_FOUND'],
      ];
      for (const [input, code, reason] of cases) {
        const res = await send(admin, input);
        expect({ input, code: codeOf(res) }).toEqual({ input, code });
        if (reason) expect(res.errors?.[0]?.extensions?.reason).toBe(reason);
      }
      expect((await t.ok(NoticesDocument, {}, admin)).notices.totalCount).toBe(before);
      expect(await noticesIn(amy.token, 'ok')).toHaveLength(0);
    });

    it("keeps tenants apart: another tenant's admin cannot reach these teams or users, nor see the notices", async () => {
      const other = await createTenant(t);
      expect(codeOf(await send(other.admin.token, { title: 'x', body: 'y', teamIds: [teamA] }))).toBe('NOT_FOUND');
      expect(codeOf(await send(other.admin.token, { title: 'x', body: 'y', userIds: [amy.id] }))).toBe('NOT_FOUND');
      expect((await t.ok(NoticesDocument, {}, other.admin.token)).notices.totalCount).toBe(0);
      // A notice to everyone there reaches only their own users.
      expect((await sent(other.admin.token, { title: 'Theirs', body: 'y', everyone: true })).recipientCount).toBe(1);
      expect(await noticesIn(amy.token, 'Theirs')).toHaveLength(0);
    });

    it('is for roles with the notifications admin page: agents get FORBIDDEN', async () => {
      for (const res of [
        await send(amy.token, { title: 'x', body: 'y', everyone: true }),
        await t.gql(NoticesDocument, {}, amy.token),
      ]) {
        expect(codeOf(res)).toBe('FORBIDDEN');
      }
      const notifier = await createUser(t, tenant, {
        roleId: await createRole(t, tenant, [Page.ADMIN_NOTIFICATIONS]),
      });
      expect((await sent(notifier.token, { title: 'From a notifier', body: 'y', userIds: [amy.id] })).sender).toBe(
        notifier.id,
      );
    });
  });

  describe('system message when the system closes a conversation (CNV-7)', () => {
    it('tells the serving agent, with a link to the conversation; a close by the agent does not', async () => {
      const tenant = await createTenant(t);
      const widgetKey = (
        await t.ok(CreateWidgetConfigDocument, { input: { name: 'Site', channel: 'WEB' } }, tenant.admin.token)
      ).createWidgetConfig.publicKey;
      await t.ok(
        UpdateTimerSettingsDocument,
        {
          input: {
            noReply: { enabled: false },
            customerNoReply: { enabled: false },
            queueReminder: { enabled: false },
            inactivity: { enabled: true, afterSeconds: 2 },
          },
        },
        tenant.admin.token,
      );
      const open = async () => {
        const v = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;
        return (await t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'Hi' } }, v.token))
          .sendVisitorMessage.conversation;
      };
      const [first, second] = await Promise.all([createUser(t, tenant), createUser(t, tenant)]);
      // Nobody is online yet: the agent takes it from the queue and closes it.
      const manual = { id: await open(), agent: second };
      await t.ok(JoinConversationDocument, { id: manual.id }, second.token);
      await t.ok(CloseConversationDocument, { id: manual.id }, second.token);
      // Live before the next conversation opens (its inactivity timer is short); being connected makes
      // the agent online, so it is assigned to them, or they take it from the queue.
      const sub = await subscribed(tenant, first);
      const auto = { id: await open(), agent: first };
      const joined = await t.gql(JoinConversationDocument, { id: auto.id }, first.token);
      if (joined.errors) expect(joined.errors[0]?.extensions?.reason).toBe('NOT_QUEUED');
      expect((await t.ok(TimedConversationDocument, { id: auto.id }, tenant.admin.token)).conversation.state).toBe(
        'ONGOING',
      );

      const [pushed] = await sub.waitFor(1, 15_000);
      expect(pushed!.notificationAdded).toMatchObject({
        kind: 'SYSTEM',
        title: 'A conversation was closed automatically',
        subjectType: 'CONVERSATION',
        subjectId: auto.id,
        link: `/conversations/${auto.id}`,
      });
      sub.stop();
      const closed = (await t.ok(TimedConversationDocument, { id: auto.id }, tenant.admin.token)).conversation;
      expect(closed).toMatchObject({ state: 'CLOSED', closedBy: 'SYSTEM', closeReason: 'INACTIVE' });
      const stored = (await inbox(auto.agent.token, { group: 'SYSTEM' })).nodes.filter((n) => n.kind === 'SYSTEM');
      expect(stored).toHaveLength(1);
      expect(stored[0]!.body).toMatch(/closed the conversation/);
      // The agent who closed it themselves is not told; nor is the admin.
      const manualClosed = (await t.ok(TimedConversationDocument, { id: manual.id }, tenant.admin.token)).conversation;
      expect(manualClosed.closedBy).toBe('AGENT');
      expect((await inbox(manual.agent.token)).nodes.filter((n) => n.kind === 'SYSTEM')).toEqual([]);
      expect((await inbox(tenant.admin.token)).totalCount).toBe(0);
    });
  });
});
