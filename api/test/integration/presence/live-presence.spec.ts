import { systemFork } from '../../../src/platform/database/tenant-filter';
import { UserConnection } from '../../../src/modules/presence/presence.entity';
import { User, UserStatus } from '../../../src/modules/user/user.entity';
import { createTeam, createTenant, createUser, signIn, type TenantFixture } from '../../factories';
import {
  ApprovalChangedDocument,
  CreateWidgetConfigDocument,
  DecideApprovalDocument,
  LogoutDocument,
  PresenceChangesDocument,
  PresenceSettingsDocument,
  SendVisitorMessageDocument,
  SetMaxConversationsDocument,
  SetMyStatusDocument,
  StartVisitorSessionDocument,
} from '../../graphql/generated';
import { connectWs, live } from '../../support/live';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';
import { changesOf, connectionsOf, eventually, openConsole, sleep, statusOf } from './presence-helpers';

const GRACE_MS = 2000;

describe('live connections drive presence (PRE-1, PRE-4)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let other: TenantFixture;

  beforeAll(async () => {
    t = await startTestApp({ PRESENCE_GRACE_SECONDS: String(GRACE_MS / 1000) });
    [tenant, other] = await Promise.all([createTenant(t), createTenant(t)]);
  });
  afterAll(() => t.stop());

  it('a console connecting makes an offline user ONLINE at once (reason CONNECTED)', async () => {
    const agent = await createUser(t, tenant);
    expect(await statusOf(t, agent.id)).toBe('OFFLINE');
    const window = await openConsole(t, agent.token);
    expect(await statusOf(t, agent.id)).toBe('ONLINE');
    expect(await connectionsOf(t, agent.id)).toBe(1);
    expect(await changesOf(t, agent.id)).toEqual(['OFFLINE>ONLINE:CONNECTED']);
    await window.close();
  });

  it('keeps a chosen status on connect: a BUSY user who opens another window stays BUSY', async () => {
    const agent = await createUser(t, tenant);
    const first = await openConsole(t, agent.token);
    await t.ok(SetMyStatusDocument, { status: 'BUSY' }, agent.token);
    const second = await openConsole(t, agent.token);
    expect(await statusOf(t, agent.id)).toBe('BUSY');
    await first.close();
    await second.close();
  });

  it('the last socket closing leaves the user ONLINE during the grace period, then OFFLINE (reason DISCONNECTED)', async () => {
    const agent = await createUser(t, tenant);
    const window = await openConsole(t, agent.token);
    await window.close();
    const closedAt = Date.now();
    await eventually(async () => (await connectionsOf(t, agent.id)) === 0, 5000, 'the connection release');
    await sleep(GRACE_MS / 2 - (Date.now() - closedAt));
    expect(await statusOf(t, agent.id)).toBe('ONLINE');
    await eventually(async () => (await statusOf(t, agent.id)) === 'OFFLINE', 10_000, 'going offline');
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GRACE_MS);
    expect(await changesOf(t, agent.id)).toEqual(['OFFLINE>ONLINE:CONNECTED', 'ONLINE>OFFLINE:DISCONNECTED']);
  });

  it('reconnecting within the grace period keeps the user ONLINE, with nothing logged', async () => {
    const agent = await createUser(t, tenant);
    const first = await openConsole(t, agent.token);
    await first.close();
    await eventually(async () => (await connectionsOf(t, agent.id)) === 0, 5000, 'the connection release');
    // A page reload: a new socket shortly after.
    const second = await openConsole(t, agent.token);
    await sleep(GRACE_MS + 1500);
    expect(await statusOf(t, agent.id)).toBe('ONLINE');
    expect(await changesOf(t, agent.id)).toEqual(['OFFLINE>ONLINE:CONNECTED']);
    await second.close();
    await eventually(async () => (await statusOf(t, agent.id)) === 'OFFLINE', 10_000, 'going offline');
  });

  it('the grace counts from the last close: closing again after a reconnect does not go offline early', async () => {
    const agent = await createUser(t, tenant);
    const first = await openConsole(t, agent.token);
    await first.close();
    await sleep(GRACE_MS / 2);
    const second = await openConsole(t, agent.token);
    await second.close();
    const lastClose = Date.now();
    await eventually(async () => (await statusOf(t, agent.id)) === 'OFFLINE', 10_000, 'going offline');
    expect(Date.now() - lastClose).toBeGreaterThanOrEqual(GRACE_MS);
  });

  it('with two windows open, closing one keeps the user ONLINE; closing both makes them OFFLINE', async () => {
    const agent = await createUser(t, tenant);
    const one = await openConsole(t, agent.token);
    const two = await openConsole(t, agent.token);
    expect(await connectionsOf(t, agent.id)).toBe(2);
    await one.close();
    await eventually(async () => (await connectionsOf(t, agent.id)) === 1, 5000, 'the connection release');
    await sleep(GRACE_MS + 1500);
    expect(await statusOf(t, agent.id)).toBe('ONLINE');
    await two.close();
    await eventually(async () => (await statusOf(t, agent.id)) === 'OFFLINE', 10_000, 'going offline');
    expect(await changesOf(t, agent.id)).toEqual(['OFFLINE>ONLINE:CONNECTED', 'ONLINE>OFFLINE:DISCONNECTED']);
  });

  it('many windows opening and closing at once: one change each way, every connection counted', async () => {
    const agent = await createUser(t, tenant);
    const windows = await Promise.all(Array.from({ length: 12 }, () => openConsole(t, agent.token)));
    expect(await connectionsOf(t, agent.id)).toBe(12);
    expect(await changesOf(t, agent.id)).toEqual(['OFFLINE>ONLINE:CONNECTED']);
    await Promise.all(windows.map((w) => w.close()));
    await eventually(async () => (await statusOf(t, agent.id)) === 'OFFLINE', 10_000, 'going offline');
    await sleep(500);
    expect(await changesOf(t, agent.id)).toEqual(['OFFLINE>ONLINE:CONNECTED', 'ONLINE>OFFLINE:DISCONNECTED']);
  });

  it('a status set without any live connection ends after the grace period, as if the console had closed', async () => {
    const agent = await createUser(t, tenant);
    await t.ok(SetMyStatusDocument, { status: 'AWAY' }, agent.token);
    expect(await statusOf(t, agent.id)).toBe('AWAY');
    await eventually(async () => (await statusOf(t, agent.id)) === 'OFFLINE', 10_000, 'going offline');
    expect(await changesOf(t, agent.id)).toEqual(['OFFLINE>AWAY:MANUAL', 'AWAY>OFFLINE:DISCONNECTED']);
  });

  it('connections of a process that stopped (not seen for a minute) are swept and no longer keep anyone online', async () => {
    const agent = await createUser(t, tenant);
    const em = systemFork(t.orm.em);
    // A socket on a process that died two minutes ago without saying goodbye.
    em.create(UserConnection, {
      tenant: tenant.tenantId,
      user: agent.id,
      processId: 'a-process-that-died',
      seenAt: new Date(Date.now() - 120_000),
    });
    await em.flush();
    await em.nativeUpdate(User, { id: agent.id }, { status: UserStatus.ONLINE });
    // This process's own connections are refreshed by the same heartbeat and survive it.
    const colleague = await createUser(t, tenant);
    const window = await openConsole(t, colleague.token);

    await t.services.presence.tick();
    expect(await connectionsOf(t, agent.id)).toBe(0);
    expect(await statusOf(t, agent.id)).toBe('OFFLINE');
    expect((await changesOf(t, agent.id)).at(-1)).toBe('ONLINE>OFFLINE:DISCONNECTED');
    expect(await connectionsOf(t, colleague.id)).toBe(1);
    expect(await statusOf(t, colleague.id)).toBe('ONLINE');
    await window.close();
  });

  it('signing out sets the user OFFLINE at once (reason SIGNED_OUT) unless another session is still signed in', async () => {
    const agent = await createUser(t, tenant);
    const window = await openConsole(t, agent.token);
    const laptop = await signIn(t, agent.email);
    await t.ok(LogoutDocument, {}, laptop.token);
    expect(await statusOf(t, agent.id)).toBe('ONLINE');
    await t.ok(LogoutDocument, {}, agent.token);
    expect(await statusOf(t, agent.id)).toBe('OFFLINE');
    expect(await changesOf(t, agent.id)).toEqual(['OFFLINE>ONLINE:CONNECTED', 'ONLINE>OFFLINE:SIGNED_OUT']);
    // The signed-out session's socket is closed by the server.
    await eventually(async () => (await connectionsOf(t, agent.id)) === 0, 5000, 'the socket to close');
    await window.close();
  });

  it('coming online offers the new room to the queue: a waiting conversation reaches the agent who connects', async () => {
    const team = await createTeam(t, tenant);
    const agent = await createUser(t, tenant, { teamIds: [team], maxConversations: 2 });
    const widget = (
      await t.ok(CreateWidgetConfigDocument, { input: { name: 'Help', entryTeamId: team } }, tenant.admin.token)
    ).createWidgetConfig;
    const visitor = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey: widget.publicKey } }))
      .startVisitorSession;
    const conversation = (
      await t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'hi' } }, visitor.token)
    ).sendVisitorMessage.conversation;
    const servedBy = async () =>
      (
        await systemFork(t.orm.em).execute<{ user_id: string }[]>(
          'select user_id from conversation_agent where tenant_id = ? and conversation_id = ?',
          [tenant.tenantId, conversation],
        )
      )[0]?.user_id;
    await sleep(300);
    expect(await servedBy()).toBeUndefined();
    const window = await openConsole(t, agent.token);
    await eventually(async () => (await servedBy()) === agent.id, 10_000, 'the assignment');
    await window.close();
  });

  describe('presenceChanges subscription', () => {
    it("delivers the tenant's status and capacity changes to its staff, live, and nothing from another tenant", async () => {
      const watcher = await openConsole(t, tenant.admin.token);
      const outsider = await openConsole(t, other.admin.token);
      const agent = await createUser(t, tenant, { maxConversations: 3 });
      const agentWindow = await openConsole(t, agent.token);
      await t.ok(SetMyStatusDocument, { status: 'BUSY' }, agent.token);
      await t.ok(SetMaxConversationsDocument, { userId: agent.id, max: 7 }, tenant.admin.token);

      const changes = async () =>
        watcher.presence.received.map((r) => r.presenceChanges).filter((c) => c.userId === agent.id);
      await eventually(async () => (await changes()).length >= 3, 5000, 'three presence events');
      expect(await changes()).toEqual([
        { userId: agent.id, status: 'ONLINE', maxConversations: 3 },
        { userId: agent.id, status: 'BUSY', maxConversations: 3 },
        { userId: agent.id, status: 'BUSY', maxConversations: 7 },
      ]);
      await sleep(200);
      expect(outsider.presence.received.filter((r) => r.presenceChanges.userId === agent.id)).toEqual([]);
      for (const w of [watcher, outsider, agentWindow]) await w.close();
    });

    it('is for staff only: a visitor is refused', async () => {
      const widget = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Site' } }, tenant.admin.token))
        .createWidgetConfig;
      const visitor = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey: widget.publicKey } }))
        .startVisitorSession;
      const client = connectWs(t, visitor.token);
      const feed = live(client, PresenceChangesDocument, {});
      const error = (await feed.error) as { extensions?: { code?: string } }[];
      expect(error[0]?.extensions?.code).toBe('FORBIDDEN');
      await client.dispose();
    });
  });

  describe('approvalChanged subscription (APR-1)', () => {
    it('shows admins requests as they are filed and decided; agents may not listen', async () => {
      const shop = await createTenant(t);
      await t.ok(PresenceSettingsDocument, { input: { statusChangeNeedsApproval: true } }, shop.admin.token);
      const admin = await openConsole(t, shop.admin.token);
      const feed = live(admin.client, ApprovalChangedDocument, {});
      const agent = await createUser(t, shop);
      const agentWindow = await openConsole(t, agent.token);
      const denied = live(agentWindow.client, ApprovalChangedDocument, {});
      expect(((await denied.error) as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe('FORBIDDEN');

      const requested = (await t.ok(SetMyStatusDocument, { status: 'AWAY' }, agent.token)).setMyStatus.pendingApproval;
      await t.ok(DecideApprovalDocument, { id: requested!.id, approve: true }, shop.admin.token);
      await feed.waitFor(2);
      expect(feed.received.map((r) => [r.approvalChanged.id, r.approvalChanged.state])).toEqual([
        [requested!.id, 'PENDING'],
        [requested!.id, 'APPROVED'],
      ]);
      expect(feed.received[0]?.approvalChanged).toMatchObject({ kind: 'STATUS_CHANGE', payload: { status: 'AWAY' } });
      expect(await statusOf(t, agent.id)).toBe('AWAY');
      const other = await t.gql(DecideApprovalDocument, { id: requested!.id, approve: true }, shop.admin.token);
      expect(codeOf(other)).toBe('CONFLICT');
      feed.stop();
      await admin.close();
      await agentWindow.close();
    });
  });
});
