import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import { Page } from '../../../src/platform/auth/pages';
import WebSocket from 'ws';
import { createRole, createTenant, createUser, type TenantFixture, type UserFixture } from '../../factories';
import {
  CreateApiKeyDocument,
  MarkNotificationsReadDocument,
  NotificationAddedDocument,
  type NotificationAddedSubscription,
  NotificationsDocument,
  SetUserEnabledDocument,
  UpdateUserDocument,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

type Added = NotificationAddedSubscription['notificationAdded'];

/** A live `notificationAdded` subscription that records what it receives. */
interface Live {
  received: Added[];
  /** Resolves with the first error the subscription reports (a close event or GraphQL errors). */
  error: Promise<unknown>;
  /** Resolves with the first notification (received from now on) that matches, or rejects after the timeout. */
  next(match?: (n: Added) => boolean, timeoutMs?: number): Promise<Added>;
  stop(): void;
}

describe('notifications (NTF-1)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let other: TenantFixture;
  let admin: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    [tenant, other] = await Promise.all([createTenant(t), createTenant(t)]);
    admin = tenant.admin.token;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.stop();
  });

  /** A notification for the user, made the way the product makes them: an admin changes their capacity. */
  const notifyCapacity = (userId: string, maxConversations: number) =>
    t.ok(UpdateUserDocument, { id: userId, input: { maxConversations } }, admin);

  const notifications = async (token: string, unreadOnly?: boolean) => {
    const data = await t.ok(NotificationsDocument, { unreadOnly, first: 100 }, token);
    return { ...data.notifications, unread: data.unreadNotificationCount };
  };

  const connect = (token: string): Client => {
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    clients.push(client);
    return client;
  };

  const subscribe = (client: Client): Live => {
    const received: Added[] = [];
    const waiters: { match: (n: Added) => boolean; resolve: (n: Added) => void }[] = [];
    let failed: (e: unknown) => void = () => undefined;
    const error = new Promise<unknown>((resolve) => (failed = resolve));
    const stop = client.subscribe<NotificationAddedSubscription>(
      { query: print(NotificationAddedDocument) },
      {
        next: (result) => {
          const n = result.data?.notificationAdded;
          if (!n) return;
          received.push(n);
          for (const w of waiters.splice(0)) {
            if (w.match(n)) w.resolve(n);
            else waiters.push(w);
          }
        },
        error: (e) => failed(e),
        complete: () => undefined,
      },
    );
    return {
      received,
      error,
      stop,
      next: (match = () => true, timeoutMs = 2000) =>
        new Promise<Added>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no notification arrived in time')), timeoutMs);
          waiters.push({
            match,
            resolve: (n) => {
              clearTimeout(timer);
              resolve(n);
            },
          });
        }),
    };
  };

  /**
   * The protocol does not acknowledge a subscribe, so probe until one notification gets through:
   * from then on the subscription is live. Probe notifications are cleared from `received`.
   */
  const untilLive = async (live: Live, userId: string): Promise<void> => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      const arrived = live.next(undefined, 100).then(
        () => true,
        () => false,
      );
      await notifyCapacity(userId, attempt);
      if (await arrived) {
        await new Promise((r) => setTimeout(r, 50));
        live.received.splice(0);
        return;
      }
    }
    throw new Error('the subscription never became live');
  };

  describe('listing and marking read', () => {
    it('lists the user’s notifications newest first, with the unread count', async () => {
      const user = await createUser(t, tenant);
      expect(await notifications(user.token)).toMatchObject({ totalCount: 0, nodes: [], unread: 0 });
      for (const n of [6, 7, 8]) await notifyCapacity(user.id, n);

      const list = await notifications(user.token);
      expect(list.totalCount).toBe(3);
      expect(list.unread).toBe(3);
      expect(list.nodes.map((n) => n.kind)).toEqual(['CAPACITY_CHANGED', 'CAPACITY_CHANGED', 'CAPACITY_CHANGED']);
      expect(list.nodes.map((n) => n.body.match(/\d+/)?.[0])).toEqual(['8', '7', '6']);
      const times = list.nodes.map((n) => new Date(n.createdAt).getTime());
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(list.nodes.every((n) => n.readAt === null && n.subjectId === user.id)).toBe(true);

      // Nobody else sees them.
      expect((await notifications(admin)).nodes.map((n) => n.id)).not.toContain(list.nodes[0]!.id);
    });

    it('marks the given notifications read; unreadOnly and the unread count follow', async () => {
      const user = await createUser(t, tenant);
      for (const n of [2, 3, 4]) await notifyCapacity(user.id, n);
      const [newest, middle, oldest] = (await notifications(user.token)).nodes;

      const marked = await t.ok(MarkNotificationsReadDocument, { ids: [middle!.id] }, user.token);
      expect(marked.markNotificationsRead).toBe(1);
      const unread = await notifications(user.token, true);
      expect(unread.nodes.map((n) => n.id)).toEqual([newest!.id, oldest!.id]);
      expect(unread.totalCount).toBe(2);
      expect(unread.unread).toBe(2);
      const all = await notifications(user.token);
      expect(all.totalCount).toBe(3);
      expect(all.nodes.find((n) => n.id === middle!.id)?.readAt).not.toBeNull();

      // An empty list marks nothing (only an omitted list means all).
      expect((await t.ok(MarkNotificationsReadDocument, { ids: [] }, user.token)).markNotificationsRead).toBe(0);
      expect((await notifications(user.token)).unread).toBe(2);
      // Marking again changes nothing.
      expect((await t.ok(MarkNotificationsReadDocument, { ids: [middle!.id] }, user.token)).markNotificationsRead).toBe(
        0,
      );
    });

    it('marks all read when no ids are given; notifications are kept', async () => {
      const user = await createUser(t, tenant);
      for (const n of [2, 3, 4]) await notifyCapacity(user.id, n);
      await t.ok(MarkNotificationsReadDocument, { ids: [(await notifications(user.token)).nodes[0]!.id] }, user.token);

      expect((await t.ok(MarkNotificationsReadDocument, {}, user.token)).markNotificationsRead).toBe(2);
      const after = await notifications(user.token);
      expect(after.unread).toBe(0);
      expect(after.totalCount).toBe(3);
      expect(after.nodes.every((n) => n.readAt !== null)).toBe(true);
      expect((await notifications(user.token, true)).totalCount).toBe(0);
      expect((await t.ok(MarkNotificationsReadDocument, {}, user.token)).markNotificationsRead).toBe(0);
    });

    it("refuses another user's notification id with NOT_FOUND and marks nothing", async () => {
      const [owner, snoop] = await Promise.all([createUser(t, tenant), createUser(t, tenant)]);
      await notifyCapacity(owner.id, 3);
      await notifyCapacity(snoop.id, 3);
      const theirs = (await notifications(owner.token)).nodes[0]!.id;
      const mine = (await notifications(snoop.token)).nodes[0]!.id;

      const res = await t.gql(MarkNotificationsReadDocument, { ids: [theirs] }, snoop.token);
      expect(codeOf(res)).toBe('NOT_FOUND');
      // All or nothing: a batch with one foreign id marks none of it.
      expect(codeOf(await t.gql(MarkNotificationsReadDocument, { ids: [mine, theirs] }, snoop.token))).toBe(
        'NOT_FOUND',
      );
      expect((await notifications(owner.token)).unread).toBe(1);
      expect((await notifications(snoop.token)).unread).toBe(1);
    });

    it("another tenant's admin gets NOT_FOUND for this tenant's notification ids, exactly as for a missing id", async () => {
      const user = await createUser(t, tenant);
      await notifyCapacity(user.id, 3);
      const id = (await notifications(user.token)).nodes[0]!.id;
      const missing = await t.gql(MarkNotificationsReadDocument, { ids: [randomUUID()] }, other.admin.token);
      const foreign = await t.gql(MarkNotificationsReadDocument, { ids: [id] }, other.admin.token);
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      expect(foreign.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
      // Marking all of their own does not reach ours either.
      await t.ok(MarkNotificationsReadDocument, {}, other.admin.token);
      expect((await notifications(user.token)).unread).toBe(1);
      expect((await notifications(other.admin.token)).totalCount).toBe(0);
    });

    it('is for signed-in users only: an API key gets FORBIDDEN, no token UNAUTHENTICATED', async () => {
      const role = await createRole(t, tenant, [Page.ADMIN_NOTIFICATIONS, Page.AGENT_NOTIFICATIONS]);
      const key = (await t.ok(CreateApiKeyDocument, { input: { name: 'Bot', roleId: role } }, admin)).createApiKey;
      expect(codeOf(await t.gql(NotificationsDocument, {}, key.secret))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(MarkNotificationsReadDocument, {}, key.secret))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(NotificationsDocument, {}))).toBe('UNAUTHENTICATED');
    });
  });

  describe('notificationAdded subscription', () => {
    let user: UserFixture;
    let live: Live;

    beforeAll(async () => {
      user = await createUser(t, tenant);
      live = subscribe(connect(user.token));
      await untilLive(live, user.id);
    });

    it("delivers a notification live when an admin changes the user's role", async () => {
      const role = await createRole(t, tenant, [Page.ADMIN_TEAMS]);
      const arrival = live.next((n) => n.kind === 'ROLE_CHANGED');
      await t.ok(UpdateUserDocument, { id: user.id, input: { roleId: role } }, admin);
      const pushed = await arrival;
      expect(pushed.title).toBe('Your role has changed');
      // It is the stored notification.
      const stored = (await notifications(user.token)).nodes[0]!;
      expect(stored).toMatchObject({ id: pushed.id, kind: 'ROLE_CHANGED', title: pushed.title });
    });

    it('delivers only the subscriber’s own notifications', async () => {
      const bystander = await createUser(t, tenant);
      const theirs = subscribe(connect(bystander.token));
      await untilLive(theirs, bystander.id);

      const arrival = live.next((n) => n.kind === 'CAPACITY_CHANGED');
      await notifyCapacity(user.id, 42);
      const pushed = await arrival;
      await new Promise((r) => setTimeout(r, 100));
      expect(theirs.received.map((n) => n.id)).not.toContain(pushed.id);
      theirs.stop();
    });

    it('refuses a socket with an invalid token at connection_init', async () => {
      const refused = subscribe(connect('not-a-valid-token'));
      const error = await refused.error;
      expect(error).toMatchObject({ code: 4403 });
      expect(refused.received).toEqual([]);
    });

    it('refuses the subscription for an API key', async () => {
      const key = (await t.ok(CreateApiKeyDocument, { input: { name: 'Bot', roleId: tenant.adminRoleId } }, admin))
        .createApiKey;
      const refused = subscribe(connect(key.secret));
      const error = await refused.error;
      expect(Array.isArray(error)).toBe(true);
      expect(error).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    });

    // Regression: the principal of a WebSocket is resolved once, at subscribe; disabling the user revokes their sessions but leaves open sockets streaming.
    it('a disabled user’s live subscription ends at once', async () => {
      const leaver = await createUser(t, tenant);
      const theirs = subscribe(connect(leaver.token));
      await untilLive(theirs, leaver.id);
      await t.ok(SetUserEnabledDocument, { id: leaver.id, enabled: false }, admin);

      // A role change (the probes were capacity changes) still notifies the disabled user.
      const role = await createRole(t, tenant, [Page.AGENT_CONVERSATIONS]);
      await t.ok(UpdateUserDocument, { id: leaver.id, input: { roleId: role } }, admin);
      await new Promise((r) => setTimeout(r, 300));
      expect(theirs.received.filter((n) => n.kind === 'ROLE_CHANGED')).toEqual([]);
    });
  });
});
