import type { Client } from 'graphql-ws';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { User, UserStatus } from '../../../src/modules/user/user.entity';
import {
  createRole,
  createTeam,
  createTenant,
  createUser,
  type TenantFixture,
  type UserFixture,
} from '../../factories';
import {
  AcceptTransferDocument,
  ConversationTransfersDocument,
  CreateWidgetConfigDocument,
  DeclineTransferDocument,
  MyConversationsChangedDocument,
  PendingTransfersDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
  TransferChangedDocument,
  TransferConversationDocument,
  TransferSettingsDocument,
} from '../../graphql/generated';
import { connectWs, live } from '../../support/live';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

/** CNV-4: transfers to an agent (direct, or offered with confirmation) and to a team. */
describe('transfers (CNV-4)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let widgetKey: string;
  let sender: UserFixture;
  const clients: Client[] = [];

  const setStatus = (user: { id: string }, status: UserStatus) =>
    systemFork(t.orm.em).nativeUpdate(User, { id: user.id }, { status });
  const ws = (token: string): Client => {
    const client = connectWs(t, token);
    clients.push(client);
    return client;
  };
  /** A visitor writes; the only online agent (the sender) gets the conversation. */
  const served = async (): Promise<string> => {
    const v = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;
    const sent = await t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'hello' } }, v.token);
    const conversation = await t.ok(
      ConversationTransfersDocument,
      { id: sent.sendVisitorMessage.conversation },
      sender.token,
    );
    expect(conversation.conversation.agents.map((a) => a.user)).toEqual([sender.id]);
    return sent.sendVisitorMessage.conversation;
  };
  const transfer = (conversationId: string, target: { toUserId?: string; toTeamId?: string }, token = sender.token) =>
    t.gql(TransferConversationDocument, { input: { conversationId, ...target } }, token);
  const confirmation = (on: boolean, timeout = 240) =>
    t.ok(
      TransferSettingsDocument,
      { input: { transfer: { requireConfirmation: on, confirmationTimeoutSeconds: timeout } } },
      tenant.admin.token,
    );

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    widgetKey = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Site' } }, tenant.admin.token))
      .createWidgetConfig.publicKey;
    sender = await createUser(t, tenant, { nickname: 'Sender', maxConversations: 50 });
    await setStatus(sender, UserStatus.ONLINE);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.stop();
  });

  it('moves a conversation at once when confirmation is off; the sender sees it leave, the target arrive', async () => {
    await confirmation(false);
    const target = await createUser(t, tenant, { nickname: 'Target' });
    await setStatus(target, UserStatus.BUSY); // busy agents accept transfers (PRE-1)
    const id = await served();
    const senderList = live(ws(sender.token), MyConversationsChangedDocument, {});
    const targetList = live(ws(target.token), MyConversationsChangedDocument, {});
    await new Promise((r) => setTimeout(r, 200));

    const res = await transfer(id, { toUserId: target.id });
    expect(res.data?.transferConversation).toMatchObject({
      state: 'COMPLETED',
      fromUser: sender.id,
      toUser: target.id,
    });
    const [left] = await senderList.waitFor(1);
    expect(left!.myConversationsChanged.kind).toBe('REMOVED');
    const [arrived] = await targetList.waitFor(1);
    expect(arrived!.myConversationsChanged).toMatchObject({ kind: 'NEW', conversation: { id } });

    const { conversation } = await t.ok(ConversationTransfersDocument, { id }, target.token);
    expect(conversation.agents).toEqual([
      expect.objectContaining({ user: sender.id, leftHow: 'TRANSFERRED' }),
      expect.objectContaining({ user: target.id, joinedHow: 'TRANSFERRED', leftAt: null }),
    ]);
    expect(conversation.transfers).toEqual([
      expect.objectContaining({ state: 'COMPLETED', fromUser: sender.id, toUser: target.id }),
    ]);
  });

  it('with confirmation on: a declined offer leaves the conversation with the sender, and both see it live', async () => {
    await confirmation(true);
    const target = await createUser(t, tenant, { nickname: 'Decliner' });
    await setStatus(target, UserStatus.AWAY);
    const id = await served();
    const senderFeed = live(ws(sender.token), TransferChangedDocument, {});
    const targetFeed = live(ws(target.token), TransferChangedDocument, {});
    await new Promise((r) => setTimeout(r, 200));

    const offer = (await transfer(id, { toUserId: target.id })).data!.transferConversation;
    expect(offer.state).toBe('OFFERED');
    expect((await t.ok(PendingTransfersDocument, {}, target.token)).pendingTransfers.map((p) => p.id)).toEqual([
      offer.id,
    ]);
    expect(codeOf(await transfer(id, { toUserId: target.id }))).toBe('CONFLICT'); // one offer at a time

    await t.ok(DeclineTransferDocument, { id: offer.id }, target.token);
    const senderSaw = await senderFeed.waitFor(2);
    const targetSaw = await targetFeed.waitFor(2);
    expect(senderSaw.map((e) => e.transferChanged.state)).toEqual(['OFFERED', 'DECLINED']);
    expect(targetSaw.map((e) => e.transferChanged.state)).toEqual(['OFFERED', 'DECLINED']);
    const { conversation } = await t.ok(ConversationTransfersDocument, { id }, sender.token);
    expect(conversation.agents.filter((a) => !a.leftAt).map((a) => a.user)).toEqual([sender.id]);
    expect(codeOf(await t.gql(AcceptTransferDocument, { id: offer.id }, target.token))).toBe('CONFLICT');
  });

  it('with confirmation on: an offer not answered in time expires, and the conversation stays', async () => {
    await confirmation(true, 5);
    const target = await createUser(t, tenant, { nickname: 'Slow' });
    await setStatus(target, UserStatus.BUSY);
    const id = await served();
    const senderFeed = live(ws(sender.token), TransferChangedDocument, {});
    const targetFeed = live(ws(target.token), TransferChangedDocument, {});
    await new Promise((r) => setTimeout(r, 200));
    const offer = (await transfer(id, { toUserId: target.id })).data!.transferConversation;
    const [, expired] = await senderFeed.waitFor(2, 15_000);
    expect(expired!.transferChanged).toMatchObject({ state: 'EXPIRED', transfer: { id: offer.id } });
    expect((await targetFeed.waitFor(2)).map((e) => e.transferChanged.state)).toEqual(['OFFERED', 'EXPIRED']);
    const { conversation } = await t.ok(ConversationTransfersDocument, { id }, sender.token);
    expect(conversation.agents.filter((a) => !a.leftAt).map((a) => a.user)).toEqual([sender.id]);
    expect(codeOf(await t.gql(AcceptTransferDocument, { id: offer.id }, target.token))).toBe('CONFLICT');
  }, 30_000);

  it('with confirmation on: an accepted offer moves the conversation', async () => {
    await confirmation(true);
    const target = await createUser(t, tenant, { nickname: 'Taker' });
    await setStatus(target, UserStatus.INVISIBLE);
    const id = await served();
    const offer = (await transfer(id, { toUserId: target.id })).data!.transferConversation;
    const accepted = await t.ok(AcceptTransferDocument, { id: offer.id }, target.token);
    expect(accepted.acceptTransfer).toMatchObject({ state: 'COMPLETED', toUser: target.id });
    const { conversation } = await t.ok(ConversationTransfersDocument, { id }, target.token);
    expect(conversation.agents.filter((a) => !a.leftAt).map((a) => a.user)).toEqual([target.id]);
  });

  it('to a team: the member with the highest idle rate, or the team queue; never an empty team', async () => {
    await confirmation(false);
    const team = await createTeam(t, tenant, 'Billing');
    const empty = await createTeam(t, tenant, 'Nobody');
    const busy = await createUser(t, tenant, { teamIds: [team], maxConversations: 2 });
    const free = await createUser(t, tenant, { teamIds: [team], maxConversations: 2 });
    await setStatus(busy, UserStatus.BUSY);
    await setStatus(free, UserStatus.BUSY); // not online: no automatic pick from the team yet

    expect(codeOf(await transfer(await served(), { toTeamId: empty }))).toBe('CONFLICT');

    const queued = await served();
    const toQueue = await transfer(queued, { toTeamId: team });
    expect(toQueue.data?.transferConversation).toMatchObject({ state: 'QUEUED', toTeam: team, toUser: null });
    const waiting = await t.ok(ConversationTransfersDocument, { id: queued }, tenant.admin.token);
    expect(waiting.conversation).toMatchObject({ state: 'QUEUED', team: { id: team } });

    // The free member comes online: the engine gives them the queued conversation; the next
    // transfer goes to them too while they have the highest idle rate.
    await setStatus(free, UserStatus.ONLINE);
    await t.services.assignment.agentFreed(tenant.tenantId, free.id);
    const assigned = await t.ok(ConversationTransfersDocument, { id: queued }, tenant.admin.token);
    expect(assigned.conversation.agents.filter((a) => !a.leftAt).map((a) => a.user)).toEqual([free.id]);
    const next = await transfer(await served(), { toTeamId: team });
    expect(next.data?.transferConversation).toMatchObject({ state: 'COMPLETED', toUser: free.id });
  });

  it('takes a null remark as no remark (what a form sends for an empty field)', async () => {
    await confirmation(false);
    const conversationId = await served();
    const target = await createUser(t, tenant);
    await setStatus(target, UserStatus.BUSY);
    const res = await t.gql(
      TransferConversationDocument,
      { input: { conversationId, toUserId: target.id, remark: null } },
      sender.token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.transferConversation.state).toBe('COMPLETED');
  });

  it('refuses offline targets, other tenants and roles without the conversations page', async () => {
    await confirmation(false);
    const id = await served();
    const offline = await createUser(t, tenant);
    expect(codeOf(await transfer(id, { toUserId: offline.id }))).toBe('CONFLICT');
    expect(codeOf(await transfer(id, { toUserId: offline.id, toTeamId: await createTeam(t, tenant) }))).toBe(
      'BAD_USER_INPUT',
    );

    const other = await createTenant(t);
    const stranger = await createUser(t, other);
    await setStatus(stranger, UserStatus.ONLINE);
    expect(codeOf(await transfer(id, { toUserId: stranger.id }))).toBe('NOT_FOUND');
    expect(codeOf(await transfer(id, { toTeamId: await createTeam(t, other) }))).toBe('NOT_FOUND');
    expect(codeOf(await transfer(id, { toUserId: sender.id }, other.admin.token))).toBe('NOT_FOUND');

    const noPages = await createUser(t, tenant, { roleId: await createRole(t, tenant, []) });
    expect(codeOf(await transfer(id, { toUserId: offline.id }, noPages.token))).toBe('FORBIDDEN');
  });
});
